package jp.senbetsu.appliance.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.file.PacketHandler;
import jp.senbetsu.capture.lab.MachineInfoJsonWriter;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code senbetsu decode FILE...}: the lab tool that shows what the decoder keeps of each packet of capture files
 * the operator already holds, as JSON Lines on standard output (one object per packet, in file order, also for
 * packets it could not decode; keys in docs/decode-output.md). It never prints payload and never reads a live
 * interface.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
        "Print the machine information of every packet of capture files (pcap, pcapng, .gz) as JSON Lines.",
        "One object per packet in file order, also for packets that could not be decoded (see \"status\").",
        "Keys: ts len caplen src dst proto sport dport tcp_flags icmp_type icmp_code frag vlan mpls tunnel status."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every file was read to its end",
        "1:a file is damaged or unreadable (the packets before the damage were printed)",
        "2:usage error"})
public final class DecodeCommand implements Callable<Integer>
{
    @Option(names = "--snaplen", paramLabel = "N",
        description = "Decode at most the first N captured bytes of each packet (default: ${DEFAULT-VALUE}).")
    int snaplen = DecoderConfiguration.DEFAULT_SNAPLEN;

    @Option(names = "--stats", description = "After the last file, print packet counts per decode status to stderr.")
    boolean stats;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files to decode, in this order.")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        if (snaplen < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--snaplen must be at least 1: " + snaplen);
        }
        final DecodeCounters counters = new DecodeCounters();
        final PacketDecoder decoder = new PacketDecoder(new DecoderConfiguration().snaplen(snaplen), counters);
        final MachineInfoRecord record = new MachineInfoRecord()
            .wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        final MachineInfoJsonWriter writer = new MachineInfoJsonWriter();
        // bytes, not characters: the writer encodes ASCII itself; System.out so that tests can capture it
        final OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        final PacketHandler handler = (ifIndex, linkType, ts, wireLength, buffer, offset, capturedLength) ->
        {
            decoder.decode(ifIndex, linkType, ts, wireLength, buffer, offset, capturedLength, record);
            try
            {
                writer.write(record, out);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        };
        try
        {
            for (final Path file : files)
            {
                try (CaptureFileReader reader = CaptureFileReader.open(file))
                {
                    reader.read(handler);
                }
                finally
                {
                    out.flush();
                }
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw new SenbetsuException("cannot write decode output: " + ex.getMessage(), ex);
        }
        finally
        {
            if (stats)
            {
                printStats(counters);
            }
        }
        return 0;
    }

    private void printStats(final DecodeCounters counters)
    {
        final PrintWriter err = spec.commandLine().getErr();
        err.printf("packets %d%n", counters.total());
        counters.forEachNonZero((status, count) -> err.printf("  %-28s %d%n", status.reason(), count));
        err.flush();
    }
}
