using Rewind.Core.Signals;

namespace Rewind.Core.Tests.Signals;

public sealed class ProbeErrorsTests
{
    [Theory]
    [InlineData(null, ProbeErrorKind.None)]
    [InlineData("timeout after 800ms", ProbeErrorKind.Timeout)]
    [InlineData("timed out after 5s; process group ended", ProbeErrorKind.Timeout)]
    [InlineData("TimedOut", ProbeErrorKind.Timeout)]
    [InlineData("slow: 1.2s, at most 500ms", ProbeErrorKind.Slow)]
    [InlineData("connection refused", ProbeErrorKind.ConnectionRefused)]
    [InlineData("name resolution failed", ProbeErrorKind.Dns)]
    [InlineData("HostNotFound", ProbeErrorKind.Dns)]
    [InlineData("connection failed: Network is unreachable", ProbeErrorKind.Connection)]
    [InlineData("connection failed: 53300: sorry, too many clients already", ProbeErrorKind.Connection)]
    [InlineData("connection closed before the response ended", ProbeErrorKind.Connection)]
    [InlineData("HostUnreachable", ProbeErrorKind.Connection)]
    [InlineData("TLS failed: The remote certificate is invalid", ProbeErrorKind.Tls)]
    [InlineData("certificate for CN=shop expires in 3.0 days (2026-01-01T00:00:00Z), minimum 14", ProbeErrorKind.Tls)]
    [InlineData("status 503, expected 200", ProbeErrorKind.HttpStatus)]
    [InlineData("body does not match ok", ProbeErrorKind.Body)]
    [InlineData("body over 1 MiB", ProbeErrorKind.Body)]
    [InlineData("json field status is 'degraded', expected 'ok'", ProbeErrorKind.Body)]
    [InlineData("exit 2, expected 0: curl: (7) failed", ProbeErrorKind.Exit)]
    [InlineData("did not start: no such file", ProbeErrorKind.Exit)]
    [InlineData("query failed: 42P01: relation \"x\" does not exist", ProbeErrorKind.Query)]
    [InlineData("query returned '0', expected '1'", ProbeErrorKind.Query)]
    [InlineData("no rows", ProbeErrorKind.Query)]
    [InlineData("something nobody expected", ProbeErrorKind.Other)]
    public void Classify_ErrorTextsOfTheProbes_AreSortedIntoKinds(string? error, ProbeErrorKind expected)
    {
        ProbeErrors.Classify(error).ShouldBe(expected);
    }

    [Fact]
    public void IsAnswer_OnlyWhatTheServiceItselfSaid_CountsAsAnAnswer()
    {
        Enum.GetValues<ProbeErrorKind>().Where(ProbeErrors.IsAnswer).ShouldBe(
            [ProbeErrorKind.ConnectionRefused, ProbeErrorKind.Tls, ProbeErrorKind.HttpStatus, ProbeErrorKind.Body, ProbeErrorKind.Query]);
    }
}
