using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>Demos run one at a time (<see cref="DemoRuns"/>): each starts a controller and a service on a busy machine.</summary>
[Collection(DemoRuns.Name)]
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_WholeStory_EndsHealthyOnV1AndPrintsTimelineAndDurations()
    {
        using var demo = RewindProcess.Start("demo");

        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromMinutes(3));

        exitCode.ShouldBe(0, demo.Output);
        demo.Output.ShouldContain("web v1 is stable: it is now the last known good");
        demo.Output.ShouldContain("timeline:");
        demo.Output.ShouldMatch(@"INC-\d{4}-\d{2}-\d{2}-\d{4} opened");
        demo.Output.ShouldMatch(@"RB-\d{4}-\d{2}-\d{2}-\d{4} v2 -> v1: succeeded");
        demo.Output.ShouldMatch(@"fault -> detection:\s+\d+\.\d\d s");
        demo.Output.ShouldMatch(@"detection -> recovery: \d+\.\d\d s");
        demo.Output.ShouldContain("now serving: v1, healthy");
        // written into a pipe, the long decision entry stays one line: no hard wrap in mid-sentence
        demo.Output.ShouldMatch(@"(?m)^\[\+\s*\d+\.\ds\] INC-\S+ decision: rollback RB-\S+ requested by [^\n]*; reason: [^\n]+$");
        demo.Output.Split('\n').Max(l => l.Length).ShouldBeGreaterThan(160);
    }
}

/// <summary>The tests that run <c>rewind demo</c>; xunit runs the classes of one collection one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class DemoRuns
{
    public const string Name = "rewind demo";
}
