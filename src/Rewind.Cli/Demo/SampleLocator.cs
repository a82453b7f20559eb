namespace Rewind.Cli.Demo;

/// <summary>
/// Where the demo's sample service comes from: in the repository, the sample's build output (run with dotnet) and
/// <c>samples/servicectl</c>; in a package, <c>share/rewind/servicectl</c> beside <c>bin/</c>, and this very binary
/// serving each release (<c>rewind sample-service</c>), so no .NET is needed on the host.
/// </summary>
internal sealed record SampleLocation(string ServiceCtl, string? BuildDirectory, string? Host)
{
    /// <summary>The repository the CLI was built in (or <c>REWIND_HOME</c>) first, then the package it was unpacked from.</summary>
    public static SampleLocation? Find() => FromRepository() ?? FromPackage();

    /// <summary>servicectl's argv for a verb; with a host, the rewind binary that serves the sample.</summary>
    public IReadOnlyList<string> ServiceCtlArgv(string verb, string appRoot, int port)
    {
        List<string> argv = [ServiceCtl, verb, appRoot, port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (Host is not null)
        {
            argv.Add(Host);
        }

        return argv;
    }

    private static SampleLocation? FromRepository()
    {
        var start = Environment.GetEnvironmentVariable("REWIND_HOME") is { Length: > 0 } home ? home : AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var serviceCtl = Path.Combine(dir.FullName, "samples", "servicectl");
            var builds = Path.Combine(dir.FullName, ".artifacts", "bin", "SampleService");
            if (!File.Exists(serviceCtl) || !Directory.Exists(builds))
            {
                continue;
            }

            // Prefer the build configuration the CLI itself runs from (release or debug), else any build there is.
            var own = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            var candidates = Directory.GetDirectories(builds)
                .Where(d => File.Exists(Path.Combine(d, "SampleService.dll")))
                .OrderByDescending(d => string.Equals(Path.GetFileName(d), own, StringComparison.Ordinal))
                .ThenByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d, "SampleService.dll")))
                .ToList();
            if (candidates.Count > 0)
            {
                return new SampleLocation(serviceCtl, candidates[0], Host: null);
            }
        }

        return null;
    }

    private static SampleLocation? FromPackage()
    {
        // bin/rewind and share/rewind/servicectl: /usr from the .deb, the unpacked tarball's own tree otherwise.
        if (Environment.ProcessPath is not { } binary || Path.GetDirectoryName(binary) is not { } bin)
        {
            return null;
        }

        var serviceCtl = Path.GetFullPath(Path.Combine(bin, "..", "share", "rewind", "servicectl"));
        return File.Exists(serviceCtl) ? new SampleLocation(serviceCtl, BuildDirectory: null, binary) : null;
    }
}
