using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Tests.Processes;

public sealed class ProcessRunnerStdinTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_StandardInput_IsWrittenThenClosed()
    {
        var echoed = await new ProcessRunner().RunAsync(new ProcessRequest(["cat"], null, Generous) { StandardInput = "héllo\n" });
        var counted = await new ProcessRunner().RunAsync(new ProcessRequest(["wc", "-c"], null, Generous) { StandardInput = "héllo\n" });

        echoed.Succeeded.ShouldBeTrue();
        echoed.Output.ShouldBe("héllo\n");
        counted.Output.Trim().ShouldBe("7"); // UTF-8 without a byte-order mark
    }

    [Fact]
    public async Task RunAsync_ProcessIgnoresLargeInput_IsNotAnError()
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest(["true"], null, Generous) { StandardInput = new string('x', 1 << 20) });

        result.Succeeded.ShouldBeTrue();
    }
}
