package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Transmission RPC protocol (rpc-spec up to version 18; Transmission 4.1's snake_case names
 * too, see {@link RpcNames}): a JSON request
 * {@code {"method", "arguments", "tag"}} in, {@code {"result", "arguments", "tag"}} out. Methods
 * are a table ({@link RpcMethods}); anything a request gets wrong — invalid JSON, an unknown
 * method, arguments of the wrong type, a corrupt torrent — is a response whose {@code result}
 * says what, never a crash and never an HTTP error.
 */
final class Rpc {
    private static final Logger LOG = LoggerFactory.getLogger(Rpc.class);
    private final Map<String, RpcMethods.Method> methods;
    /** The daemon's thread: answers are serialized there (torrent-get's rows read the torrents' records as they are written). */
    private final java.util.concurrent.Executor daemonThread;

    Rpc(Daemon daemon) {
        this.methods = RpcMethods.table(daemon);
        this.daemonThread = daemon.executor;
    }

    /** Handles one request body; the future never fails. */
    CompletableFuture<byte[]> handle(byte[] body) {
        JsonNode request;
        try {
            request = Json.read(body);
        } catch (Exception e) {
            return CompletableFuture.completedFuture(answer(null, "invalid JSON: " + firstLine(e.getMessage()), null));
        }
        if (request == null || !request.isObject()) {
            return CompletableFuture.completedFuture(answer(null, "the request is not a JSON object", null));
        }
        JsonNode tag = request.get("tag");
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual()) {
            return CompletableFuture.completedFuture(answer(tag, "no method given", null));
        }
        boolean snake = RpcNames.isSnake(method.asText());
        String name = snake ? RpcNames.method(method.asText()) : method.asText();
        RpcMethods.Method m = methods.get(name);
        if (m == null) {
            return CompletableFuture.completedFuture(answer(tag, "method name not recognized: " + method.asText(), null));
        }
        if (body.length > HttpGate.MAX_BODY && !name.equals("torrent-add")) {
            return CompletableFuture.completedFuture(answer(tag, "request too large: only torrent-add may exceed "
                    + HttpGate.MAX_BODY + " bytes", null));
        }
        JsonNode args = request.get("arguments");
        if (args != null && !args.isObject() && !args.isNull()) {
            return CompletableFuture.completedFuture(answer(tag, "arguments must be a JSON object", null));
        }
        ObjectNode a = args == null || args.isNull() ? Json.object() : (ObjectNode) args;
        if (snake) {
            a = RpcNames.arguments(name, a);
        }
        CompletableFuture<ObjectNode> result;
        try {
            result = m.call(a);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handleAsync((out, e) -> {
            if (e == null) {
                return answer(tag, "success", snake ? (ObjectNode) RpcNames.answer(out, false) : out);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof RpcException)) {
                LOG.debug("rpc {}: {}", method.asText(), cause.toString());
            }
            return answer(tag, cause instanceof RpcException ? cause.getMessage() : describe(cause), null);
        }, daemonThread);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : firstLine(m);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static byte[] answer(JsonNode tag, String result, ObjectNode arguments) {
        ObjectNode o = Json.object();
        o.put("result", result);
        o.set("arguments", arguments == null ? Json.object() : arguments);
        if (tag != null && (tag.isIntegralNumber() || tag.isTextual())) {
            o.set("tag", tag);
        }
        return Json.write(o);
    }
}
