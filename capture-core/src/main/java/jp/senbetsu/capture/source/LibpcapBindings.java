package jp.senbetsu.capture.source;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import jp.senbetsu.capture.SenbetsuException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Downcall handles for the part of libpcap a live capture needs, bound once through the FFM API.
 * pcap4j's per-packet path measured 0.2–1 M packets/s here; {@code pcap_next_ex} through FFM 4–7 M.
 *
 * <p>Native layouts used (LP64): {@code struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen, len; }}
 * is 24 bytes (tv_sec at 0, tv_usec at 8 — nanoseconds with nanosecond precision — caplen at 16, len at 20);
 * {@code struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }} is 16 bytes;
 * {@code struct pcap_stat { u_int ps_recv, ps_drop, ps_ifdrop; }} is 12 bytes.
 */
final class LibpcapBindings
{
    static final int ERRBUF_SIZE = 256;
    static final int PKTHDR_TV_SEC_OFFSET = 0;
    static final int PKTHDR_TV_FRACTION_OFFSET = 8;
    static final int PKTHDR_CAPLEN_OFFSET = 16;
    static final int PKTHDR_LEN_OFFSET = 20;
    static final int PKTHDR_LENGTH = 24;
    static final long BPF_PROGRAM_SIZE = 16;
    static final long PCAP_STAT_SIZE = 12;
    static final int TSTAMP_PRECISION_NANO = 1;
    static final int ERROR_NO_SUCH_DEVICE = -5;
    static final int ERROR_PERM_DENIED = -8;
    static final int ERROR_IFACE_NOT_UP = -9;
    static final int ERROR_PROMISC_PERM_DENIED = -11;
    static final int ERROR_TSTAMP_PRECISION_NOTSUP = -12;
    static final int PCAP_NETMASK_UNKNOWN = 0xffffffff;

    private static final String[] LIBRARY_NAMES = { "libpcap.so.1", "libpcap.so.0.8", "libpcap.so" };

    final MethodHandle create;
    final MethodHandle setSnaplen;
    final MethodHandle setPromisc;
    final MethodHandle setTimeout;
    final MethodHandle setBufferSize;
    final MethodHandle setImmediateMode;
    final MethodHandle setTstampPrecision;
    final MethodHandle activate;
    final MethodHandle geterr;
    final MethodHandle compile;
    final MethodHandle setfilter;
    final MethodHandle freecode;
    final MethodHandle setnonblock;
    final MethodHandle nextEx;
    final MethodHandle datalink;
    final MethodHandle stats;
    final MethodHandle close;

    private static LibpcapBindings instance;

    private LibpcapBindings(final SymbolLookup lookup)
    {
        final Linker linker = Linker.nativeLinker();
        create = bind(linker, lookup, "pcap_create", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        setSnaplen = bind(linker, lookup, "pcap_set_snaplen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setPromisc = bind(linker, lookup, "pcap_set_promisc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setTimeout = bind(linker, lookup, "pcap_set_timeout", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setBufferSize = bind(linker, lookup, "pcap_set_buffer_size",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setImmediateMode = bind(linker, lookup, "pcap_set_immediate_mode",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setTstampPrecision = bind(linker, lookup, "pcap_set_tstamp_precision",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        activate = bind(linker, lookup, "pcap_activate", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        geterr = bind(linker, lookup, "pcap_geterr", FunctionDescriptor.of(ADDRESS, ADDRESS));
        compile = bind(linker, lookup, "pcap_compile",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        setfilter = bind(linker, lookup, "pcap_setfilter", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        freecode = bind(linker, lookup, "pcap_freecode", FunctionDescriptor.ofVoid(ADDRESS));
        setnonblock = bind(linker, lookup, "pcap_setnonblock",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        // non-blocking, no upcalls, no heap arguments: the cheapest transition the FFM API offers
        nextEx = linker.downcallHandle(symbol(lookup, "pcap_next_ex"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), Linker.Option.critical(false));
        datalink = bind(linker, lookup, "pcap_datalink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        stats = bind(linker, lookup, "pcap_stats", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        close = bind(linker, lookup, "pcap_close", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /** Loads libpcap once per process. */
    static synchronized LibpcapBindings load()
    {
        if (instance == null)
        {
            SymbolLookup lookup = null;
            for (final String name : LIBRARY_NAMES)
            {
                try
                {
                    lookup = SymbolLookup.libraryLookup(name, Arena.global());
                    break;
                }
                catch (final IllegalArgumentException notFound)
                {
                    // try the next soname
                }
            }
            if (lookup == null)
            {
                throw new SenbetsuException("libpcap is not installed (looked for libpcap.so.1, libpcap.so.0.8): "
                    + "install the libpcap0.8 package");
            }
            instance = new LibpcapBindings(lookup);
        }
        return instance;
    }

    private static MethodHandle bind(
        final Linker linker, final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        return linker.downcallHandle(symbol(lookup, name), descriptor);
    }

    private static MemorySegment symbol(final SymbolLookup lookup, final String name)
    {
        return lookup.find(name).orElseThrow(
            () -> new SenbetsuException("libpcap has no symbol " + name + ": libpcap 1.5 or newer is required"));
    }
}
