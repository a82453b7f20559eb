namespace Rewind.Cli.Demo;

/// <summary>Finds the sample service's build output and its <c>servicectl</c> script from the repository the CLI was built in.</summary>
internal sealed record SampleLocation(string BuildDirectory, string ServiceCtl)
{
    public static SampleLocation? Find()
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
                return new SampleLocation(candidates[0], serviceCtl);
            }
        }

        return null;
    }
}
