package io.jtorrent.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers session events in order on one thread of its own, so no subscriber runs on an event loop. */
final class EventBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final List<Consumer<? super SessionEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jtorrent-events");
        t.setDaemon(true);
        return t;
    });

    AutoCloseable subscribe(Consumer<? super SessionEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void post(SessionEvent event) {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> {
                for (Consumer<? super SessionEvent> s : subscribers) {
                    try {
                        s.accept(event);
                    } catch (RuntimeException e) {
                        LOG.warn("event subscriber failed on {}", event.name(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the session is closing: late events have no one to go to
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
