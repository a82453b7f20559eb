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

    [Fact]
    public void WithoutUrlPasswords_WithholdsEveryProbesPassword_AndLeavesTheConfigAlone()
    {
        var db = new ProbeConfig { Postgres = new PostgresProbeConfig { Url = "postgres://app:hunter2@db.internal/orders?password=hunter3", Query = "select 1" }, Interval = TimeSpan.FromSeconds(3) };
        var site = new ProbeConfig { Http = new HttpProbeConfig { Url = "https://ops:hunter2@example.com/health?probe=1", ExpectStatus = 204 } };
        var port = new ProbeConfig { Tcp = new TcpProbeConfig { Port = 5432 } };
        var step = new WaitHealthyStep("web", ["db", "site", "port"], 3, TimeSpan.FromMinutes(1), new Dictionary<string, ProbeConfig>(StringComparer.Ordinal) { ["db"] = db, ["site"] = site, ["port"] = port });

        var stored = (WaitHealthyStep)step.WithoutUrlPasswords();

        stored.Definitions!["db"].Postgres!.Url.ShouldBe("postgres://app:***@db.internal:5432/orders?password=***");
        (stored.Definitions["db"].Postgres!.Query, stored.Definitions["db"].Interval).ShouldBe(("select 1", TimeSpan.FromSeconds(3)));
        stored.Definitions["site"].Http!.Url.ShouldBe("https://ops:***@example.com/health?probe=1");
        stored.Definitions["site"].Http!.ExpectStatus.ShouldBe(204);
        stored.Definitions["port"].ShouldBeSameAs(port);
        (db.Postgres.Url, site.Http.Url).ShouldBe(("postgres://app:hunter2@db.internal/orders?password=hunter3", "https://ops:hunter2@example.com/health?probe=1"));
    }

    [Fact]
    public void WithoutUrlPasswords_HttpStepsInAParallelGroup_AreWithheldToo()
    {
        var http = new HttpStep("POST", "https://deploy:hunter2@paas.example/v1/deploys", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), null, [], TimeSpan.FromSeconds(30));
        var group = new ParallelStep([http, new NotifyStep("back")]);

        var stored = (ParallelStep)group.WithoutUrlPasswords();

        ((HttpStep)stored.Steps[0]).Url.ShouldBe("https://deploy:***@paas.example/v1/deploys");
        stored.Steps[1].ShouldBe(new NotifyStep("back"));
    }
}
