namespace Rewind.TestUtils;

/// <summary>Paths inside the repository the tests were built from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The source directory of a test project, e.g. <c>test/Rewind.Cli.Tests</c>.</summary>
    public static string TestProject(string name) => Path.Combine(Root, "test", name);

    /// <summary>The build output of a project in the same configuration as the running tests.</summary>
    public static string BuildOutput(string project)
    {
        var configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        return Path.Combine(Root, ".artifacts", "bin", project, configuration);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rewind.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("tests must run from a build inside the repository (Rewind.slnx not found above " + AppContext.BaseDirectory + ")");
    }
}
