namespace Rewind.Core.Configuration;

/// <summary>
/// A PostgreSQL cluster as a component: where it is (a connection, its data directory, its binaries and the user that
/// runs it), so Rewind can back it up, create restore points and restore it to a point in time.
/// </summary>
public sealed class PostgresProviderConfig
{
    /// <summary>A <c>postgres://</c> URL of the cluster, for restore points, <c>pg_basebackup</c> and verification queries.</summary>
    public string Url { get; set; } = "";

    /// <summary>The cluster's data directory: a restore is made beside it and swapped in, the replaced one kept.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The PostgreSQL binaries. Default: the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? Bin { get; set; }

    /// <summary>The operating system user that owns the data directory and runs the server (used when the controller runs as root). Default: the controller's user.</summary>
    public string? RunAs { get; set; }

    /// <summary>The argv that stops the live cluster before a <c>restore</c> step (e.g. <c>[systemctl, stop, postgresql@15-main]</c>). Default: <c>pg_ctl stop -D DATA -m fast</c> as <see cref="RunAs"/>.</summary>
    public List<string> Stop { get; set; } = [];

    /// <summary>The argv that starts it again after the restore. Default: <c>pg_ctl start -D DATA -l DATA.log</c> as <see cref="RunAs"/>.</summary>
    public List<string> Start { get; set; } = [];
}

/// <summary>
/// Backups of a component, in one repository with checksummed manifests, optionally encrypted: physical base backups,
/// continuous WAL archiving and logical dumps of a <c>postgres</c> component, and copies of declared paths of any component.
/// </summary>
public sealed class BackupsConfig
{
    /// <summary>The repository: a directory, or <c>s3://BUCKET/PREFIX</c> in S3-compatible object storage (layout in docs/backups.md). Required.</summary>
    public string Repository { get; set; } = "";

    /// <summary>How an <c>s3://</c> repository is reached: endpoint, region, credentials. Default: AWS, <c>us-east-1</c>, the SDK's default credentials.</summary>
    [ConfigKey("s3")]
    public S3Config? S3 { get; set; }

    /// <summary>When base backups are taken: a Quartz cron expression (seconds first, UTC), e.g. <c>0 0 3 * * ?</c>. Default: none (only on demand).</summary>
    public string? Schedule { get; set; }

    /// <summary>Incremental base backups: only files changed since the previous set are stored. Default: none. <c>postgres</c> only.</summary>
    public IncrementalBackupConfig? Incremental { get; set; }

    public RetentionConfig Retention { get; set; } = new();

    /// <summary><c>none</c> or <c>gzip</c>. Default gzip.</summary>
    public string Compression { get; set; } = "gzip";

    /// <summary>AES-256-GCM with a 32-byte key read from a file that must not be inside the repository. Default: not encrypted.</summary>
    public EncryptionConfig? Encryption { get; set; }

    /// <summary>The recovery point objective: the newest archived WAL (or backup) older than this is a failing <c>rpo</c> signal. Default 5m.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Logical dumps (<c>pg_dump -Fc</c>) for small databases and single-table recovery. Default: none. <c>postgres</c> only.</summary>
    public LogicalBackupConfig? Logical { get; set; }

    /// <summary>Copies of declared paths (uploads, configuration) with the same manifests, checksums and encryption. Default: none.</summary>
    public FileBackupConfig? Files { get; set; }

    public BackupVerifyConfig Verify { get; set; } = new();
}

/// <summary>
/// Scheduled incremental base backups: <c>pg_basebackup</c> copies the whole cluster as for a full set, but only files
/// whose size or SHA-256 changed since the newest set are stored; the others are referenced in the set that holds them.
/// </summary>
public sealed class IncrementalBackupConfig
{
    /// <summary>When incrementals are taken (Quartz cron, UTC), e.g. <c>0 0 * * * ?</c> hourly between daily full backups. Required.</summary>
    public string? Schedule { get; set; }

    /// <summary>The most incrementals after one full set; the next incremental is then taken as a full set. 0 = no limit (full sets only from <c>backups.schedule</c>). Default 0.</summary>
    public int MaxChain { get; set; }
}

/// <summary>Scheduled logical dumps of a <c>postgres</c> component's databases.</summary>
public sealed class LogicalBackupConfig
{
    /// <summary>When dumps are taken (Quartz cron, UTC). Default: none (only on demand).</summary>
    public string? Schedule { get; set; }

    /// <summary>The databases dumped, one file each in one dump set. Default: the database of the provider's URL.</summary>
    public List<string> Databases { get; set; } = [];
}

/// <summary>Scheduled copies of directories (or single files) of any component.</summary>
public sealed class FileBackupConfig
{
    /// <summary>When the paths are copied (Quartz cron, UTC). Default: none (only on demand).</summary>
    public string? Schedule { get; set; }

    /// <summary>Absolute (or config-relative) directories or files; never inside the repository. Required.</summary>
    public List<string> Paths { get; set; } = [];
}

public sealed class RetentionConfig
{
    /// <summary>Base backups kept at least. Default 7.</summary>
    public int Count { get; set; } = 7;

    /// <summary>Base backups older than this (beyond <c>count</c>) are removed with the WAL only they need. Default 30d.</summary>
    public TimeSpan Age { get; set; } = TimeSpan.FromDays(30);
}

public sealed class EncryptionConfig
{
    /// <summary>A file holding exactly 32 bytes (raw, or 64 hex digits); never stored beside the backups.</summary>
    public string KeyFile { get; set; } = "";
}

/// <summary>Scheduled verification: quick (checksums, WAL chain, age, key) and full (a restore into a scratch cluster with validation queries).</summary>
public sealed class BackupVerifyConfig
{
    /// <summary>Quick verification. Default: none (on demand).</summary>
    public string? Schedule { get; set; }

    /// <summary>Full verification. Default: none (on demand).</summary>
    public string? FullSchedule { get; set; }

    /// <summary>A full verification older than this (or failed) is a failing <c>backup-verified</c> signal. Default 7d.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Queries run against the restored scratch cluster; each must return one value matching <c>expect</c>.</summary>
    public List<ValidationQueryConfig> Queries { get; set; } = [];
}

public sealed class ValidationQueryConfig
{
    public string Name { get; set; } = "";

    /// <summary>Default: the database of the provider's URL.</summary>
    public string? Database { get; set; }

    public string Sql { get; set; } = "";

    /// <summary><c>&gt; N</c>, <c>&gt;= N</c>, <c>= N</c>, <c>&lt; N</c>, <c>&lt;= N</c>, or a literal the value must equal. Default <c>&gt; 0</c>.</summary>
    public string Expect { get; set; } = "> 0";
}

/// <summary>The object storage of an <c>s3://</c> repository. Credentials only as <c>{{secret.NAME}}</c>, never written in the config.</summary>
public sealed class S3Config
{
    /// <summary>The service URL of an S3-compatible server, e.g. <c>http://minio.internal:9000</c>. Default: AWS.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The region requests are signed for. Default <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The access key id as <c>{{secret.NAME}}</c>: the controller's (or agent's) environment variable NAME. Given with <see cref="SecretKey"/>, or neither.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret access key as <c>{{secret.NAME}}</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The local directory for work in progress (a base backup's staging copy). Default: under the temp directory.</summary>
    public string? WorkDirectory { get; set; }
}
