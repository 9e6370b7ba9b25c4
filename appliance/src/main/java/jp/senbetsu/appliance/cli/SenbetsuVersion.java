package jp.senbetsu.appliance.cli;

import picocli.CommandLine;

/** Reports the build's version from the jar manifest, so `--version` always matches what is installed. */
public final class SenbetsuVersion implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String version = SenbetsuVersion.class.getPackage().getImplementationVersion();
        return new String[] {
            "senbetsu " + (version == null ? "development build" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")" };
    }
}
