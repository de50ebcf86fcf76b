package io.jtorrent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories the RPC may place data in, fixed when the daemon starts (the download directory
 * and each {@code --allow-path}); nothing the RPC says can add one. A requested directory must be
 * absolute and lie inside a root once {@code ..} and every symbolic link of the part that exists
 * are resolved, so neither {@code /downloads/../etc} nor a link inside a root leads out of it.
 */
final class PathRoots {
    private final List<Path> roots = new ArrayList<>();

    PathRoots(List<Path> roots) throws IOException {
        for (Path r : roots) {
            Path abs = r.toAbsolutePath().normalize();
            Files.createDirectories(abs);
            this.roots.add(abs.toRealPath());
        }
    }

    /**
     * The directory to use for {@code requested}, named {@code what} in the error.
     *
     * @throws RpcException when it is relative or outside every root
     */
    Path confine(String what, String requested) {
        if (requested == null || requested.isBlank()) {
            throw new RpcException(what + " must not be empty");
        }
        Path p;
        try {
            p = Path.of(requested);
        } catch (java.nio.file.InvalidPathException e) {
            throw new RpcException(what + " is not a valid path");
        }
        if (!p.isAbsolute()) {
            throw new RpcException(what + " must be an absolute path");
        }
        p = p.normalize();
        Path real = realOfExistingPart(p);
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return p;
            }
        }
        throw new RpcException(what + " " + requested + " is outside the directories this daemon may use"
                + " (the download directory and those given with --allow-path at start)");
    }

    /** The real path of the longest existing prefix, with the rest appended as written. */
    private static Path realOfExistingPart(Path p) {
        Path existing = p;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing)) {
            rest.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing == null ? p.getRoot() : existing.toRealPath();
        } catch (IOException e) {
            throw new RpcException("cannot resolve " + p);
        }
        for (Path part : rest) {
            real = real.resolve(part);
        }
        return real.normalize();
    }

    List<Path> roots() {
        return List.copyOf(roots);
    }
}
