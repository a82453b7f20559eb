using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class SamplesConfigTests
{
    private const string Head = """
        components:
          web:
            provider:
              release-dir: { path: /srv/web }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string rest) => ConfigParser.Parse(Head + "\n" + rest, "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_NoSamples_KeepsTheDefaults()
    {
        var samples = Parse("").Config!.Samples;

        (samples.FullResolution, samples.PerMinute, samples.PerHour).ShouldBe((TimeSpan.FromHours(6), TimeSpan.FromDays(14), TimeSpan.FromDays(400)));
    }

    [Fact]
    public void Parse_OldSampleRetention_StillLoads()
    {
        var result = Parse("sample-retention: 5000");

        result.Errors.ShouldBeEmpty();
        result.Config!.SampleRetention.ShouldBe(5000);
    }

    [Fact]
    public void Parse_EveryKey_Binds()
    {
        var result = Parse("""
            samples:
              full-resolution: 30m
              per-minute: 2d
              per-hour: 90d
            """);

        result.Errors.ShouldBeEmpty();
        var samples = result.Config!.Samples;
        (samples.FullResolution, samples.PerMinute, samples.PerHour).ShouldBe((TimeSpan.FromMinutes(30), TimeSpan.FromDays(2), TimeSpan.FromDays(90)));
    }

    [Fact]
    public void Parse_WindowsOutOfRangeOrOutOfOrder_ReportsEachAtItsValue()
    {
        var result = Parse("""
            samples:
              full-resolution: 1m
              per-minute: 500d
              per-hour: 30m
              raw: 1h
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:8:20: samples.full-resolution: 1m is outside 10m..7d",
            "rewind.yaml:9:15: samples.per-minute: 12000h is outside 10m..400d",
            "rewind.yaml:10:13: samples.per-hour: 30m is outside 1h..3650d",
            "rewind.yaml:10:13: samples.per-hour: 30m is shorter than per-minute (12000h): hours are rolled from minutes",
            "rewind.yaml:11:3: unknown key 'raw' in samples; expected one of: full-resolution, per-hour, per-minute",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Parse_PerMinuteShorterThanFullResolution_IsRefused()
    {
        var result = Parse("""
            samples:
              full-resolution: 2h
              per-minute: 1h
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(["rewind.yaml:9:15: samples.per-minute: 1h is shorter than full-resolution (2h): minutes are rolled from full-resolution samples"]);
    }
}
