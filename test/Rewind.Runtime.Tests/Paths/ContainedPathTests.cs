using Rewind.Runtime.Paths;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Paths;

/// <summary>Manifest paths checked as text and on a real file system with real symbolic links.</summary>
public sealed class ContainedPathTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Root => _temp.Combine("root");

    private string Elsewhere => _temp.Combine("elsewhere");

    public ContainedPathTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "real", "deeper"));
        Directory.CreateDirectory(Elsewhere);
        File.WriteAllText(Path.Combine(Elsewhere, "secret"), "not yours\n");
        File.CreateSymbolicLink(Path.Combine(Root, "real", "out"), Elsewhere);
        File.CreateSymbolicLink(Path.Combine(Root, "real", "secret"), Path.Combine(Elsewhere, "secret"));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/etc/passwd", "is absolute")]
    [InlineData("..", "climbs out with '..'")]
    [InlineData("a/../../b", "climbs out with '..'")]
    [InlineData("a/../b", "climbs out with '..'")]
    [InlineData("./a", "has a '.' part")]
    [InlineData("a//b", "has an empty part")]
    [InlineData("a/", "has an empty part")]
    [InlineData("a\0b", "holds a NUL character")]
    public void TextProblem_PathThatCouldLeaveItsRoot_SaysWhy(string relative, string problem) =>
        ContainedPath.TextProblem(relative).ShouldBe(problem);

    [Theory]
    [InlineData("a")]
    [InlineData("srv/uploads/a.png")]
    [InlineData("..a/b..")]
    [InlineData(".hidden/...")]
    public void TextProblem_PlainRelativePath_IsNone(string relative) =>
        ContainedPath.TextProblem(relative).ShouldBeNull();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Resolve_BackslashOnUnix_IsPartOfTheNameAndStaysBeneathTheRoot()
    {
        var resolved = ContainedPath.Resolve(Root, @"..\..\etc\passwd");

        resolved.ShouldBe(Path.Combine(Root, @"..\..\etc\passwd"));
        Path.GetDirectoryName(resolved).ShouldBe(Root);
    }

    [Fact]
    public void Resolve_RealDirectoriesAndPartsNotMadeYet_GivesThePathBeneathTheRoot()
    {
        ContainedPath.Resolve(Root, "real/deeper/new/file").ShouldBe(Path.Combine(Root, "real", "deeper", "new", "file"));
        ContainedPath.Resolve(Root, "not/made/yet").ShouldBe(Path.Combine(Root, "not", "made", "yet"));
    }

    [Fact]
    public void Resolve_LinkOnTheWay_IsRefusedNamingTheLink()
    {
        var refused = Should.Throw<PathEscapeException>(() => ContainedPath.Resolve(Root, "real/out/secret"));

        refused.Entry.ShouldBe("real/out/secret");
        refused.Problem.ShouldBe($"lies beneath the symbolic link 'real/out' (to {Elsewhere})");
        refused.Message.ShouldBe($"the manifest entry 'real/out/secret' lies beneath the symbolic link 'real/out' (to {Elsewhere}): it would leave {Root}; refused");
    }

    [Fact]
    public void Resolve_LinkMadeAfterAnEarlierCheck_IsRefusedWhenUsed()
    {
        ContainedPath.Resolve(Root, "d/file").ShouldBe(Path.Combine(Root, "d", "file"));
        File.CreateSymbolicLink(Path.Combine(Root, "d"), Elsewhere);

        Should.Throw<PathEscapeException>(() => ContainedPath.Resolve(Root, "d/file")).Problem.ShouldBe($"lies beneath the symbolic link 'd' (to {Elsewhere})");
    }

    [Fact]
    public void Resolve_LinkAsTheLastPart_IsRefusedOnlyWhenTheUseFollowsIt()
    {
        ContainedPath.Resolve(Root, "real/secret").ShouldBe(Path.Combine(Root, "real", "secret")); // replaced or removed: the link itself

        Should.Throw<PathEscapeException>(() => ContainedPath.Resolve(Root, "real/secret", followsLast: true))
            .Problem.ShouldBe($"is a symbolic link (to {Path.Combine(Elsewhere, "secret")})");
    }

    [Fact]
    public void Resolve_TextProblem_IsRefusedBeforeTheDiskIsLookedAt() =>
        Should.Throw<PathEscapeException>(() => ContainedPath.Resolve(Root, "../elsewhere/secret")).Problem.ShouldBe("climbs out with '..'");
}
