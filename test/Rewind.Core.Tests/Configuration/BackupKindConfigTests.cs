using Rewind.Core.Configuration;
using Shouldly;
using Xunit;

namespace Rewind.Core.Tests.Configuration;

/// <summary>Logical dumps and file backups in the config: what binds, where files-only backups are allowed, every mistake at its position.</summary>
public sealed class BackupKindConfigTests
{
    [Fact]
    public void Parse_LogicalAndFiles_BindWithResolvedPaths()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: /var/backups/rewind/db
                  logical: { schedule: "0 30 * * * ?" }
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                backups:
                  repository: /var/backups/rewind/web
                  encryption: { key-file: keys/web.key }
                  files: { paths: [uploads, /etc/web], schedule: "0 0 * * * ?" }
            """,
            "rewind.yaml",
            "/srv/config");

        result.Errors.ShouldBeEmpty();
        var db = result.Config!.Components["db"].Backups!;
        (db.Logical!.Schedule, db.Logical.Databases.Count).ShouldBe(("0 30 * * * ?", 0));
        var web = result.Config.Components["web"].Backups!;
        web.Files!.Paths.ShouldBe(["/srv/config/uploads", "/etc/web"]);
        web.Files.Schedule.ShouldBe("0 0 * * * ?");
    }

    [Fact]
    public void Parse_BadLogicalAndFiles_ReportEveryMistakeAtItsPosition()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: /var/backups/db
                  logical: { schedule: hourly, databases: ["shop; drop", shop, shop] }
                  files: { paths: [/var/backups] }
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                backups:
                  repository: /var/backups/web
                  logical: { databases: [shop] }
                  files: { paths: [], schedule: "0 0 3 * * ?" }
                  verify: { full-schedule: "0 0 5 ? * SUN" }
              api:
                provider: { release-dir: { path: /srv/api } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 81 } } }
                backups: { repository: /var/backups/api }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:7:28: components.db.backups.logical.schedule: 'hourly' is not a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' for 03:00 UTC daily)",
            "rewind.yaml:7:47: components.db.backups.logical.databases: database names (letters, digits, '_', '-', '.'), none repeated; leave it out for the provider's database",
            "rewind.yaml:8:23: components.db.backups.files.paths: '/var/backups' and the repository overlap (a backup would copy itself); keep the repository outside every path",
            "rewind.yaml:14:16: components.web.backups.logical: logical dumps need a postgres component (provider postgres); a component that is not postgres can back up files only (backups.files)",
            "rewind.yaml:15:23: components.web.backups.files.paths: at least one directory or file, none empty or repeated",
            "rewind.yaml:16:32: components.web.backups.verify: a restore drill and its queries need a postgres component (provider postgres); a component that is not postgres can back up files only (backups.files)",
            "rewind.yaml:20:28: components.api.backups: a component that is not postgres can back up files only (backups.files): declare backups.files.paths",
        ]);
    }
}

/// <summary>Incremental base backups in the config: what binds and every mistake at its position.</summary>
public sealed class IncrementalBackupConfigTests
{
    [Fact]
    public void Parse_Incremental_Binds()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: /var/backups/rewind/db
                  schedule: "0 0 3 * * ?"
                  incremental: { schedule: "0 0 * * * ?", max-chain: 23 }
            """,
            "rewind.yaml",
            "/srv/config");

        result.Errors.ShouldBeEmpty();
        var incremental = result.Config!.Components["db"].Backups!.Incremental!;
        (incremental.Schedule, incremental.MaxChain).ShouldBe(("0 0 * * * ?", 23));
    }

    [Fact]
    public void Parse_BadIncremental_ReportEveryMistakeAtItsPosition()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: /var/backups/db
                  schedule: "0 0 3 * * ?"
                  incremental: { schedule: hourly, max-chain: -1 }
              pg2:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1/shop", data-directory: /var/lib/pg2 } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: /var/backups/pg2
                  incremental: { schedule: "0 0 * * * ?" }
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                backups:
                  repository: /var/backups/web
                  incremental: { max-chain: 3 }
                  files: { paths: [/srv/web/uploads] }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:8:32: components.db.backups.incremental.schedule: 'hourly' is not a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' for 03:00 UTC daily)",
            "rewind.yaml:8:51: components.db.backups.incremental.max-chain: 0 (no limit) or more incrementals after a full set",
            "rewind.yaml:14:32: components.pg2.backups.incremental: without backups.schedule every incremental would extend one chain forever and retention could never remove it; schedule full backups (backups.schedule) or cap the chain (incremental.max-chain)",
            "rewind.yaml:20:20: components.web.backups.incremental: incremental base backups need a postgres component (provider postgres); a component that is not postgres can back up files only (backups.files)",
            "rewind.yaml:20:20: components.web.backups.incremental.schedule: required: when incremental backups are taken (Quartz cron, UTC)",
        ]);
    }
}
