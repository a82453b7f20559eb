using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Runbooks;

public sealed class WaitHealthyStepTests
{
    [Fact]
    public void Describe_EveryProbeKind_SaysWhatItChecksWithoutPasswords()
    {
        var definitions = new Dictionary<string, ProbeConfig>(StringComparer.Ordinal)
        {
            ["db"] = new() { Postgres = new PostgresProbeConfig { Url = "postgres://app:hunter2@db.internal/orders", Query = "select 'ok'", Expect = "ok" } },
            ["site"] = new() { Http = new HttpProbeConfig { Url = "https://ops:hunter2@example.com/health", MinCertDays = 14 } },
            ["port"] = new() { Tcp = new TcpProbeConfig { Host = "127.0.0.1", Port = 5432 } },
        };
        var step = new WaitHealthyStep("web", ["db", "site", "port"], 3, TimeSpan.FromMinutes(1), definitions);

        var description = step.Describe();

        description.ShouldBe(
            "wait-healthy probes [db: PostgreSQL postgres://app:***@db.internal:5432/orders query \"select 'ok'\" expect 'ok', "
            + "site: GET https://ops:***@example.com/health expect 200 and certificate valid >= 14 days, "
            + "port: TCP connect 127.0.0.1:5432]: 3 consecutive passes within 1m");
        description.ShouldNotContain("hunter2");
    }
}
