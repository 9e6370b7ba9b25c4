package jp.senbetsu.appliance.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsEndpointTest
{
    @Test
    void servesTheCurrentExpositionOnEveryScrapeAndNothingElse() throws Exception
    {
        final AtomicLong packets = new AtomicLong();
        try (MetricsEndpoint endpoint = new MetricsEndpoint("127.0.0.1", 0,
            text -> text.append("# TYPE senbetsu_packets_total counter\nsenbetsu_packets_total ")
                .append(packets.get()).append('\n'), () -> packets.get() < 100);
            HttpClient client = HttpClient.newHttpClient())
        {
            final URI base = URI.create("http://127.0.0.1:" + endpoint.port());
            packets.set(41);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(MetricsEndpoint.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("# TYPE senbetsu_packets_total counter\nsenbetsu_packets_total 41\n", response.body());

            packets.incrementAndGet();
            response = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals("# TYPE senbetsu_packets_total counter\nsenbetsu_packets_total 42\n", response.body());

            assertEquals(404, client.send(HttpRequest.newBuilder(base.resolve("/records")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, client.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
            assertEquals("ok\n", client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            packets.set(100);
            assertEquals(503, client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "unhealthy once a fatal failure is reported");
        }
    }
}
