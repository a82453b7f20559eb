namespace Rewind.Runtime.Backups;

/// <summary>Where PostgreSQL's programs are and which system user runs them.</summary>
/// <param name="BinDirectory">Holds <c>pg_basebackup</c>, <c>pg_ctl</c> and <c>postgres</c>, e.g. <c>/usr/lib/postgresql/15/bin</c>.</param>
public sealed record PostgresToolOptions(string BinDirectory)
{
    /// <summary>
    /// The user PostgreSQL's programs run as, through <c>runuser -u USER --</c>, and who owns restored files. PostgreSQL
    /// refuses to run as root, so a controller running as root must name the cluster's owner here (usually
    /// <c>postgres</c>). Default <see langword="null"/>: run as the controller's own user.
    /// </summary>
    public string? RunAsUser { get; init; }

    /// <summary>How long <c>pg_basebackup</c> may run. Default: 6 hours.</summary>
    public TimeSpan BaseBackupTimeout { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How long one <c>pg_dump</c> or <c>pg_restore</c> may run. Default: 6 hours.</summary>
    public TimeSpan DumpTimeout { get; init; } = TimeSpan.FromHours(6);

    internal IReadOnlyList<string> Command(string program, params IEnumerable<string> arguments)
    {
        var argv = new List<string>();
        if (RunAsUser is { } user)
        {
            argv.AddRange(["runuser", "-u", user, "--"]);
        }

        argv.Add(Path.Combine(BinDirectory, program));
        argv.AddRange(arguments);
        return argv;
    }

    /// <summary>The owner restored files must get, or <see langword="null"/> when they keep the controller's.</summary>
    internal UnixOwner? Owner() => RunAsUser is { } user
        ? FileSystem.LookUpUser(user) ?? throw new InvalidOperationException($"the system user '{user}' (RunAsUser) does not exist")
        : null;
}
