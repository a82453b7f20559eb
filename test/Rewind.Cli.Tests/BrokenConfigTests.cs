namespace Rewind.Cli.Tests;

/// <summary>
/// A config that breaks the YAML reader (too deep, too large, unreadable) is one <c>file:line:column</c> line and exit 2
/// from both commands that read it, never a stack trace.
/// </summary>
public sealed class BrokenConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rewind-cli-").FullName;

    [Theory]
    [InlineData("config check")]
    [InlineData("serve --config")]
    public async Task FiftyThousandNestedLists_IsTheDepthError(string command) =>
        await ShouldReport(command, new string('[', 50_000), "1:65: config nests deeper than the 64-level limit");

    [Theory]
    [InlineData("config check")]
    [InlineData("serve --config")]
    public async Task FiftyThousandNestedMappings_IsTheDepthError(string command) =>
        await ShouldReport(command, string.Concat(Enumerable.Repeat("{a: ", 50_000)), "1:257: config nests deeper than the 64-level limit");

    [Theory]
    [InlineData("config check")]
    [InlineData("serve --config")]
    public async Task UnclosedBrace_IsASyntaxErrorNamingIt(string command) =>
        await ShouldReport(
            command,
            "components:\n  web: {provider: {release-dir: {path: /x}\n  probes: {}\n",
            "3:3: YAML syntax: cannot read past this point, inside the '{' opened at 2:19; is its '}' missing?");

    [Theory]
    [InlineData("config check")]
    [InlineData("serve --config")]
    public async Task TabIndentation_IsASyntaxError(string command) =>
        await ShouldReport(command, "components:\n\tweb: {}\n", "1:1: YAML syntax: While scanning a mapping, found invalid tab as indentation.");

    [Theory]
    [InlineData("config check")]
    [InlineData("serve --config")]
    public async Task SeventeenMiBFile_IsTheSizeError(string command) =>
        await ShouldReport(command, "#" + new string('x', (17 * 1024 * 1024) - 2) + "\n", "1:1: config is 17 MiB, larger than the 16 MiB limit");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task ShouldReport(string command, string text, string expected)
    {
        var path = Path.Combine(_directory, "rewind.yaml");
        await File.WriteAllTextAsync(path, text);

        var run = await CliRun.RunAsync([.. command.Split(' '), path]);

        run.ExitCode.ShouldBe(2, run.Error);
        run.Output.ShouldBeEmpty();
        run.Error.ShouldNotContain("   at ");
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe($"{path}:{expected}");
        lines.Length.ShouldBe(command == "config check" ? 2 : 1, run.Error);
    }
}
