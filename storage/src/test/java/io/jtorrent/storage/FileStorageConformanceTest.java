package io.jtorrent.storage;

import io.jtorrent.metainfo.Info;
import java.nio.file.Path;

/** {@link FileStorage} passes the storage conformance test. */
class FileStorageConformanceTest extends StorageConformanceTest {
    @Override
    Storage open(Info info, Path dir) throws java.io.IOException {
        return FileStorage.allWanted(info, dir);
    }
}
