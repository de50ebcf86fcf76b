package io.jtorrent.engine.net;

import io.jtorrent.engine.time.Loop;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/** A {@link Loop} on a Netty event loop with the system's clocks: the one place that supplies real time. */
public final class NettyLoop implements Loop {
    private final EventLoop loop;

    public NettyLoop(EventLoop loop) {
        this.loop = loop;
    }

    /** The Netty loop under it, for channels. */
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long epochSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        var f = loop.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Timer scheduleEvery(Runnable task, long periodNanos) {
        var f = loop.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }
}
