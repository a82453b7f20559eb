using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Configuration;

/// <summary>The <c>http</c> and <c>files</c> providers, plans declared on a policy, and the limit on a whole plan.</summary>
public sealed class ProviderConfigTests
{
    private const string Probes = """
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static readonly ComponentState OnV2 = new("api", "http", "v2", null);

    private static ConfigResult Parse(string component) => ConfigParser.Parse($"components:\n  api:\n{component}\n{Probes}", "rewind.yaml", "/etc/rewind");

    [Fact]
    public void HttpProvider_SwitchIsOneRequestToTheDeployApi_WithTemplatesFilledAndSecretsLeftForTheCall()
    {
        var result = Parse("""
                provider:
                  http:
                    url: "https://paas.example/v1/services/{{component}}/deploys"
                    headers: { Authorization: "Bearer {{secret.PAAS_TOKEN}}" }
                    body: '{"release": "{{target.version}}", "from": "{{from.version}}"}'
                    expect-status: [201]
                    retries: 2
            """);

        result.Errors.ShouldBeEmpty();
        var component = result.Config!.Components["api"];
        component.Provider.Kind.ShouldBe("http");
        var plan = RollbackPlanner.Plan("api", component, OnV2, [Stable("v1"), Stable("v2")], new PlanOptions());

        plan.Steps.Select(s => s.IsSwitch).ShouldBe([true, false]);
        var request = plan.Steps[0].ShouldBeOfType<HttpStep>();
        request.Body.ShouldBe("""{"release": "v1", "from": "v2"}""");
        request.Describe().ShouldBe("switch by POST https://paas.example/v1/services/api/deploys headers {Authorization: Bearer {{secret.PAAS_TOKEN}}} body 31 bytes expect 201 (timeout 30s, 2 retries from 1s doubling)");
    }

    [Fact]
    public void FilesProvider_SwitchRestoresTheRecordedCopy_ThenReloads_WithPathsResolved()
    {
        var result = Parse("""
                provider:
                  files:
                    paths: [conf/app.env, /etc/shop/conf.d]
                    store: /var/lib/rewind/files/api
                    reload: [systemctl, reload, shop]
            """);

        result.Errors.ShouldBeEmpty();
        var plan = RollbackPlanner.Plan("api", result.Config!.Components["api"], OnV2, [Stable("v1"), Stable("v2")], new PlanOptions());

        plan.Steps.Select(s => s.Kind).ShouldBe(["files", "restart", "wait-healthy"]);
        plan.Steps.Select(s => s.IsSwitch).ShouldBe([true, false, false]);
        var restore = plan.Steps[0].ShouldBeOfType<FilesRestoreStep>();
        (restore.Store, restore.TargetVersion, restore.FromVersion).ShouldBe(("/var/lib/rewind/files/api", "v1", "v2"));
        restore.Paths.ShouldBe(["/etc/rewind/conf/app.env", "/etc/shop/conf.d"]);
        plan.Steps[0].Describe().ShouldBe(
            "restore files [/etc/rewind/conf/app.env, /etc/shop/conf.d] from /var/lib/rewind/files/api/releases/v1 (copy of v1, checked against its manifest first; was v2): "
            + "touches only these paths and what lies beneath them, following no symbolic link (a copy naming anything else is refused as corrupt); "
            + "the current files kept in /var/lib/rewind/files/api/undo/<rollback>, then each file replaced by one atomic rename");
    }

    [Fact]
    public void PolicyPlan_IsUsedForThatPolicy_AndThePlanTimeoutTravelsWithThePlan()
    {
        var result = Parse("""
                provider: { release-dir: { path: /srv/api } }
                plan-timeout: 10m
                plan: [ { switch: {} } ]
                policies:
                  errors:
                    when: { probe: health }
                    plan: [ { notify: { message: "errors: {{component}} back to {{target.version}}" } }, { switch: {} } ]
                  slow:
                    when: { probe: health }
            """);

        result.Errors.ShouldBeEmpty();
        var component = result.Config!.Components["api"];
        var ofErrors = RollbackPlanner.Plan("api", component, OnV2, [Stable("v1"), Stable("v2")], null, emergency: false, policy: "errors");
        var ofSlow = RollbackPlanner.Plan("api", component, OnV2, [Stable("v1"), Stable("v2")], null, emergency: false, policy: "slow");
        var unknown = RollbackPlanner.Plan("api", component, OnV2, [Stable("v1"), Stable("v2")], null, emergency: false, policy: "nope");

        ofErrors.Steps.Select(s => s.Kind).ShouldBe(["notify", "switch"]);
        ofErrors.Steps[0].Describe().ShouldBe("notify \"errors: api back to v1\"");
        ofErrors.Policy.ShouldBe("errors");
        ofSlow.Steps.Select(s => s.Kind).ShouldBe(["switch"]); // no plan of its own: the component's
        ofSlow.Policy.ShouldBeNull();
        ofErrors.Timeout.ShouldBe(TimeSpan.FromMinutes(10));
        unknown.Refusal.ShouldBe("api has no policy nope");
    }

    [Fact]
    public void BadProviders_AreReportedWithTheirPositions()
    {
        var result = ConfigParser.Parse(
            """
            components:
              deploy:
                provider: { http: { method: FETCH, url: "ftp://paas.example/{{member}}" }, release-dir: { path: /srv } }
                probes: { h: { tcp: { host: 127.0.0.1, port: 1 } } }
                plan-timeout: 0s
              conf:
                provider: { files: { paths: [/etc/app, ""], store: /etc/app/copies, reload-timeout: 0s } }
                probes: { h: { tcp: { host: 127.0.0.1, port: 1 } } }
                policies:
                  down: { when: { probe: h }, plan: [ { notify: { message: hi } } ] }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:3:15: components.deploy.provider: declare exactly one provider: release-dir, command, http, files or postgres",
            "rewind.yaml:3:33: components.deploy.provider.http.method: one of GET, POST, PUT, PATCH, DELETE, HEAD",
            "rewind.yaml:3:45: components.deploy.provider.http.url: unknown placeholder {{member}}; known: {{component}}, {{target.version}}, {{from.version}}, {{target.schema}}, {{from.schema}}, {{from.recorded-at}}, {{target.recorded-at}}, {{secret.NAME}} (an environment variable of the controller)",
            "rewind.yaml:5:19: components.deploy.plan-timeout: must be positive; leave it out for no limit on the whole plan",
            "rewind.yaml:7:33: components.conf.provider.files.paths: at least one file or directory, none empty",
            "rewind.yaml:7:56: components.conf.provider.files.store: must be outside the paths it keeps copies of, and not hold them",
            "rewind.yaml:7:89: components.conf.provider.files.reload-timeout: must be positive",
            "rewind.yaml:10:41: components.conf.policies.down.plan: no switch, batch or traffic step, so nothing would move conf to the target release",
        ]);
    }

    [Fact]
    public void Parse_DeployTimesOutsideAPlansSteps_AreRefused_AndAcceptedInThem()
    {
        var result = ConfigParser.Parse(
            """
            components:
              app:
                provider: { command: { switch: [./deploy, "{{from.recorded-at}}"] } }
                probes: { h: { tcp: { host: 127.0.0.1, port: 1 } } }
                plan:
                  - command: { argv: [./restore, --time, "{{from.recorded-at}}"], env: { SINCE: "{{target.recorded-at}}" } }
                  - switch: {}
              site:
                provider: { http: { url: "https://paas.example/deploy", body: '{"at": "{{target.recorded-at}}"}' } }
                probes: { h: { tcp: { host: 127.0.0.1, port: 1 } } }
            drills:
              flag:
                component: app
                fault: { command: { argv: [./flag, "{{from.recorded-at}}"] } }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:3:26: components.app.provider.command: {{from.recorded-at}} is filled only in a rollback plan's steps, where the releases are known; a provider's switch runs without them",
            "rewind.yaml:9:23: components.site.provider.http: {{target.recorded-at}} is filled only in a rollback plan's steps, where the releases are known; a provider's switch runs without them",
            "rewind.yaml:14:23: drills.flag.fault.command: {{from.recorded-at}} is filled only in a rollback plan's steps, where the releases are known; a drill's fault runs without them",
        ]);
    }

    private static Release Stable(string version) => new("api", version, ReleaseState.Stable, DateTimeOffset.UnixEpoch, StableAt: DateTimeOffset.UnixEpoch);
}

/// <summary>Rollbacks past a database schema change: refused unless the plan migrates down or a person allows it.</summary>
public sealed class SchemaChangeTests
{
    private static readonly ComponentState OnV2 = new("app", "release-dir", "v2", null);

    private static ComponentConfig Component(string plan) =>
        ConfigParser.Parse(
            $"components:\n  app:\n    provider: {{ release-dir: {{ path: /srv/app }} }}\n    probes: {{ h: {{ tcp: {{ host: 127.0.0.1, port: 1 }} }} }}\n{plan}",
            "rewind.yaml",
            "/etc/rewind").Config!.Components["app"];

    [Fact]
    public void Plan_BackOverASchemaChange_WithoutMigrateDown_IsRefusedExplainingTheWaysOut()
    {
        var plan = RollbackPlanner.Plan("app", Component(""), OnV2, [V1("0041_carts"), V2("0042_orders_index")], new PlanOptions());

        plan.Refusal.ShouldBe(
            "app v2 runs on schema 0042_orders_index and v1 on 0041_carts: rolling the application back past a schema change would run v1 against a schema it was not released with, "
            + "and the plan does not handle the database (no migrate-down or restore step). Declare a migrate-down step or a restore step (after a snapshot), or, if v1 works with schema "
            + "0042_orders_index, allow it explicitly (`rewind rollback --allow-schema-change`, audited)");
    }

    [Fact]
    public void Plan_BackOverASchemaChange_Allowed_RunsAndSaysSo()
    {
        var plan = RollbackPlanner.Plan("app", Component(""), OnV2, [V1("0041_carts"), V2("0042_orders_index")], new PlanOptions(AllowSchemaChange: true));

        plan.Refusal.ShouldBeNull();
        plan.SchemaChange.ShouldBe("0042_orders_index -> 0041_carts");
    }

    [Fact]
    public void Plan_WithMigrateDown_RunsItWithBothSchemasFilledIn()
    {
        var component = Component("""
                plan:
                  - migrate-down: { argv: [./bin/migrate, down, --from, "{{from.schema}}", --to, "{{target.schema}}"], timeout: 10m }
                  - switch: {}
            """);

        var plan = RollbackPlanner.Plan("app", component, OnV2, [V1("0041_carts"), V2("0042_orders_index")], new PlanOptions());

        plan.Refusal.ShouldBeNull();
        plan.Steps[0].Describe().ShouldBe("migrate-down: argv [\"/etc/rewind/bin/migrate\", \"down\", \"--from\", \"0042_orders_index\", \"--to\", \"0041_carts\"] in /etc/rewind (timeout 10m, accept exit 0)");
    }

    [Theory]
    [InlineData("0041_carts", "0041_carts")]
    [InlineData(null, "0042_orders_index")]
    [InlineData("0041_carts", null)]
    public void Plan_SameOrUnknownSchema_IsNotAChange(string? target, string? from)
    {
        var plan = RollbackPlanner.Plan("app", Component(""), OnV2, [V1(target), V2(from)], new PlanOptions());

        plan.Refusal.ShouldBeNull();
        plan.SchemaChange.ShouldBeNull();
    }

    private static Release V1(string? schema) => new("app", "v1", ReleaseState.Stable, DateTimeOffset.UnixEpoch, StableAt: DateTimeOffset.UnixEpoch) { Schema = schema };

    private static Release V2(string? schema) => new("app", "v2", ReleaseState.Baking, DateTimeOffset.UnixEpoch.AddHours(1)) { Schema = schema };
}

/// <summary>The <c>postgres</c> provider and backups: what binds, and every mistake at its position.</summary>
public sealed class BackupConfigTests
{
    [Fact]
    public void Parse_PostgresWithBackups_BindsWithDefaultsAndResolvedPaths()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: data/main, run-as: postgres } }
                probes: { up: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop" } } }
                backups:
                  repository: /var/backups/rewind/db
                  schedule: "0 0 3 * * ?"
                  encryption: { key-file: keys/backup.key }
                  verify:
                    full-schedule: "0 0 5 ? * SUN"
                    queries: [ { name: orders, sql: "SELECT count(*) FROM orders" }, { name: no-orphans, sql: "SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL", expect: "= 0" } ]
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.ShouldBeEmpty();
        var db = result.Config!.Components["db"];
        db.Provider.Kind.ShouldBe("postgres");
        db.Provider.Postgres!.DataDirectory.ShouldBe("/etc/rewind/data/main");
        var backups = db.Backups.ShouldNotBeNull();
        (backups.Compression, backups.Retention.Count, backups.Retention.Age, backups.MaxAge).ShouldBe(("gzip", 7, TimeSpan.FromDays(30), TimeSpan.FromMinutes(5)));
        backups.Encryption!.KeyFile.ShouldBe("/etc/rewind/keys/backup.key");
        backups.Verify.Queries.Select(q => q.Expect).ShouldBe(["> 0", "= 0"]);
        RollbackPlanner.Plan("db", db, null, [], new PlanOptions()).Refusal!.ShouldContain("it goes back with a point-in-time restore");
    }

    [Fact]
    public void Parse_BadBackups_ReportEveryMistake()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "mysql://db", data-directory: "" } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: /var/backups/db
                  schedule: "every night"
                  compression: zstd
                  encryption: { key-file: /var/backups/db/key }
                  verify: { queries: [ { name: x, sql: "select 1", expect: "> lots" } ] }
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                backups: { repository: /var/backups/web, schedule: "0 0 3 * * ?" }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.Message).ShouldBe([
            "components.db.provider.postgres.url: expected postgres://user:password@host:port/database",
            "components.db.provider.postgres.data-directory: required: the cluster's data directory, where a restore is swapped in",
            "components.db.backups.schedule: 'every night' is not a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' for 03:00 UTC daily)",
            "components.db.backups.compression: one of none, gzip",
            "components.db.backups.encryption.key-file: required, and outside the repository (a key beside the backups protects nothing)",
            "components.db.backups.verify.queries[0].expect: '> lots' is not a comparison such as '> 0', '= 3' or a literal",
            "components.web.backups.schedule: base backups need a postgres component (provider postgres); a component that is not postgres can back up files only (backups.files)",
        ]);
    }

    [Fact]
    public void Parse_PolicyOnABackupSignal_TakesADurationAsSeconds_AndMustOnlyNotify()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups: { repository: /var/backups/db }
                policies:
                  rpo: { when: { signal: { name: backup.rpo, above: 6m } }, mode: notify, severity: P2 }
                  drills: { when: { signal: { name: backup.verify-failing, above: 0.5 } }, severity: P3 }
                  typo: { when: { signal: { name: backup.rp, above: 1 } }, mode: notify }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Config.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:8:15: components.db.policies.drills.mode: a policy on backup.verify-failing must be mode: notify (it pages; a rollback cannot repair a backup)",
            "rewind.yaml:9:39: components.db.policies.typo.when.signal.name: 'backup.rp' is not a signal of db; known: backup.age, backup.full-verify-age, backup.rpo, backup.verify-failing",
        ]);
        var ok = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups: { repository: /var/backups/db }
                policies:
                  rpo: { when: { signal: { name: backup.rpo, above: 6m } }, mode: notify, severity: P2 }
            """,
            "rewind.yaml",
            "/etc/rewind");
        ok.Errors.ShouldBeEmpty();
        ok.Config!.Components["db"].Policies["rpo"].When.Signal!.Above.ShouldBe(360);
    }

    [Fact]
    public void Parse_PostgresWithoutProbes_GetsSelectOneOnItsUrl()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                backups: { repository: /var/backups/db }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.ShouldBeEmpty();
        var probe = result.Config!.Components["db"].Probes.ShouldHaveSingleItem();
        probe.Key.ShouldBe("up");
        (probe.Value.Postgres!.Url, probe.Value.Postgres.Query).ShouldBe(("postgres://postgres@127.0.0.1:5432/shop", "select 1"));
    }

    [Theory]
    [InlineData("> 0", "12", true)]
    [InlineData("> 0", "0", false)]
    [InlineData("= 0", "0", true)]
    [InlineData("<= 2.5", "2.5", true)]
    [InlineData("ok", "ok", true)]
    [InlineData("> 0", "many", false)]
    public void ExpectedValue_Holds(string expect, string value, bool holds)
    {
        ExpectedValue.TryParse(expect, out var expected).ShouldBeTrue();
        expected!.Holds(value).ShouldBe(holds);
    }
}

public sealed class SnapshotStepConfigTests
{
    [Fact]
    public void Parse_SnapshotOfAComponentWithoutBackups_IsAnErrorAtItsPosition()
    {
        var result = ConfigParser.Parse(
            """
            components:
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                plan: [ { snapshot: { component: web, kind: everything } }, { switch: {} } ]
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:5:38: components.web.plan[0].snapshot.component: 'web' is not a postgres component with backups",
            "rewind.yaml:5:49: components.web.plan[0].snapshot.kind: restore-point or base-backup",
        ]);
    }

    [Fact]
    public void Parse_RestoreWithoutASnapshotBefore_OrSkippingApprovalOutsideAPolicy_AreErrors()
    {
        var result = ConfigParser.Parse(
            """
            components:
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                plan: [ { restore: { component: db, approval: false } }, { snapshot: { component: db } }, { restore: { component: web } }, { switch: {} } ]
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups: { repository: /var/backups/db }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:5:24: components.web.plan[0].restore: a restore of db must come after a snapshot step of db in the same plan (nothing destructive without a way back)",
            "rewind.yaml:5:51: components.web.plan[0].restore.approval: a restore waits for its own approval; only a policy's plan (policies.NAME.plan) may say approval: false",
            "rewind.yaml:5:119: components.web.plan[2].restore.component: 'web' is not a postgres component with backups",
        ]);
    }

    [Fact]
    public void Parse_RestoreOfTheClusterHoldingTheStore_IsAnError()
    {
        var result = ConfigParser.Parse(
            """
            store: "postgres://rewind@127.0.0.1:5432/rewind"
            components:
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                plan: [ { snapshot: { component: db } }, { restore: { component: db } }, { switch: {} } ]
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                backups: { repository: /var/backups/db }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.Message).ShouldBe([
            "components.web.plan[1].restore.component: the store is in the cluster of db (127.0.0.1:5432); a restore would stop the controller's own record and roll it back. Keep the store in another cluster",
        ]);
    }

    [Fact]
    public void Plan_RestoreStep_GetsItsOwnApprovalGate_UnlessThePolicysPlanSaysOtherwise_AndHandlesTheSchema()
    {
        var result = ConfigParser.Parse(
            """
            components:
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                plan: [ { snapshot: { component: db } }, { restore: { component: db } }, { switch: {} } ]
                policies:
                  corrupt: { when: { probe: up }, plan: [ { snapshot: { component: db } }, { restore: { component: db, restore-point: "before-{{from.version}}", approval: false } }, { switch: {} } ] }
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups: { repository: /var/backups/db }
            """,
            "rewind.yaml",
            "/etc/rewind");
        result.Errors.ShouldBeEmpty();
        var web = result.Config!.Components["web"];
        Release[] releases = [Stable("v1") with { Schema = "41" }, Stable("v2") with { Schema = "42", State = ReleaseState.Baking }];
        var current = new ComponentState("web", "release-dir", "v2", null);

        var plan = RollbackPlanner.Plan("web", web, current, releases, new PlanOptions());
        var unattended = RollbackPlanner.Plan("web", web, current, releases, new PlanOptions { Policy = "corrupt" });

        plan.Refusal.ShouldBeNull(); // the restore handles the schema change 42 -> 41
        plan.Steps.Select(s => s.Kind).ShouldBe(["snapshot", "approval", "restore", "switch"]);
        var gate = plan.Steps[1].ShouldBeOfType<ApprovalStep>();
        (gate.AnyOf.ShouldHaveSingleItem(), gate.TwoPerson, gate.OnTimeout).ShouldBe(("approver", true, GateTimeout.Fail));
        plan.Steps[2].ShouldBeOfType<DatabaseRestoreStep>().RestorePoint.ShouldBe("rewind-release-web-v2");
        unattended.Steps.Select(s => s.Kind).ShouldBe(["snapshot", "restore", "switch"]);
        unattended.Steps[1].ShouldBeOfType<DatabaseRestoreStep>().RestorePoint.ShouldBe("before-v2");
        RollbackPlanner.Plan("web", web, current, releases, new PlanOptions { Emergency = true }).Steps.Select(s => s.Kind).ShouldContain("approval"); // a data-safety gate holds in an emergency
    }

    private static Release Stable(string version) => new("web", version, ReleaseState.Stable, DateTimeOffset.UnixEpoch, StableAt: DateTimeOffset.UnixEpoch);
}
