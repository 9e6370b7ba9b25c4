package jp.senbetsu.appliance.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jp.senbetsu.capture.SenbetsuException;

/**
 * Serves the appliance's counters in the Prometheus text exposition format (0.0.4) at {@code /metrics}, and a
 * liveness answer at {@code /health}. Only counters, gauges and histograms are ever served: no record, packet or
 * address of a live feed can be reached through it, which is what "no person perceives pre-selection data"
 * requires of an HTTP surface. The JDK's own HTTP server is enough for a scrape every few seconds.
 */
public final class MetricsEndpoint implements AutoCloseable
{
    /** Content type of the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param bindAddress  address to listen on (the management network's, never the tap's).
     * @param port         TCP port; 0 picks a free one.
     * @param exposition   writes the current metrics in the text format into the builder it is given.
     * @param healthy      whether {@code /health} answers 200 ok (else 503: a fatal failure stopped a stage).
     */
    public MetricsEndpoint(final String bindAddress, final int port, final Consumer<StringBuilder> exposition,
        final BooleanSupplier healthy)
    {
        try
        {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        }
        catch (final IOException e)
        {
            throw new SenbetsuException("metrics endpoint cannot listen on " + bindAddress + ":" + port + "/tcp: "
                + e.getMessage(), e);
        }
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "metrics-endpoint"));
        server.setExecutor(executor);
        server.createContext("/metrics", exchange ->
        {
            final StringBuilder text = new StringBuilder(16 * 1024);
            exposition.accept(text);
            respond(exchange, 200, CONTENT_TYPE, text.toString());
        });
        server.createContext("/health", exchange -> respond(exchange, healthy.getAsBoolean() ? 200 : 503,
            "text/plain; charset=utf-8", healthy.getAsBoolean() ? "ok\n" : "failed\n"));
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8", "not found\n"));
        server.start();
    }

    /** The port actually bound. */
    public int port()
    {
        return server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(exchange.getRequestMethod()))
            {
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(bytes);
                }
            }
        }
    }
}
