using System.Globalization;
using System.Text;

namespace Rewind.Core.Backups;

/// <summary>
/// The settings a restored data directory needs to replay archived WAL up to a target, written into
/// <c>postgresql.auto.conf</c> between marker lines and removed again once recovery has finished.
/// </summary>
public sealed record RecoverySettings(IReadOnlyList<KeyValuePair<string, string>> Values)
{
    private const string BeginMarker = "# rewind: recovery settings (removed when recovery has finished)";
    private const string EndMarker = "# rewind: end of recovery settings";

    private static readonly string[] RecoveryKeys =
    [
        "restore_command", "recovery_target", "recovery_target_time", "recovery_target_name", "recovery_target_lsn",
        "recovery_target_xid", "recovery_target_inclusive", "recovery_target_action", "recovery_target_timeline",
    ];

    /// <summary>
    /// Builds the settings. <paramref name="fetchCommand"/> is the argument vector PostgreSQL runs (through /bin/sh) to
    /// fetch a file; <c>%f %p</c> (file name, destination path) are appended. An argument that cannot be quoted safely
    /// for both postgresql.conf and the shell (a quote, a backslash, a control character) is refused.
    /// </summary>
    public static bool TryCreate(IReadOnlyList<string> fetchCommand, RestoreTarget target, out RecoverySettings? settings, out string? error)
    {
        ArgumentNullException.ThrowIfNull(fetchCommand);
        ArgumentNullException.ThrowIfNull(target);
        settings = null;
        var command = new StringBuilder();
        foreach (var argument in fetchCommand)
        {
            if (argument.Length == 0 || argument.Any(c => c is '\'' or '\\' || char.IsControl(c)))
            {
                error = $"cannot use '{argument}' in restore_command: an argument must be non-empty and hold no quote, backslash or control character";
                return false;
            }

            command.Append(ShellWord(argument.Replace("%", "%%", StringComparison.Ordinal))).Append(' ');
        }

        if (command.Length == 0)
        {
            error = "the fetch command is empty";
            return false;
        }

        var values = new List<KeyValuePair<string, string>> { new("restore_command", command.Append("%f \"%p\"").ToString()) };
        switch (target)
        {
            case TimeTarget time:
                values.Add(new("recovery_target_time", FormatTime(time.At)));
                values.Add(new("recovery_target_inclusive", time.Inclusive ? "true" : "false"));
                break;
            case RestorePointTarget point when point.Name.Length is 0 or > 63 || point.Name.Any(c => c is '\\' || char.IsControl(c)):
                error = $"'{point.Name}' is not a usable restore point name (1 to 63 characters, no backslash or control character)";
                return false;
            case RestorePointTarget point:
                values.Add(new("recovery_target_name", point.Name));
                break;
            case ImmediateTarget:
                values.Add(new("recovery_target", "immediate"));
                break;
        }

        values.Add(new("recovery_target_action", "promote"));
        settings = new RecoverySettings(values);
        error = null;
        return true;
    }

    /// <summary>How long replay waits for a file the spool is still fetching, in ticks of 50 ms (a minute), before it fetches the file itself.</summary>
    public const int ComingWaitTicks = 1200;

    /// <summary>
    /// These settings with a <c>restore_command</c> that first takes the file from <paramref name="spool"/> (where the
    /// restore fetched it ahead, so replay does not start a process per segment), answers "not in the archive" for a
    /// name marked there with <c>NAME.none</c>, waits (up to a minute) for a name marked <c>NAME.coming</c> that the spool
    /// is still fetching, and only then runs the fetch command. Null when the path cannot be quoted.
    /// </summary>
    public RecoverySettings? WithSpool(string spool)
    {
        ArgumentNullException.ThrowIfNull(spool);
        if (spool.Length == 0 || spool.Any(c => c is '\'' or '\\' || char.IsControl(c)) || Values.FirstOrDefault(v => v.Key == "restore_command") is not { Value: { } fetch })
        {
            return null;
        }

        var quoted = "'" + spool.Replace("%", "%%", StringComparison.Ordinal) + "/%f";
        var take = $"mv -f {quoted}' \"%p\" 2>/dev/null";
        var waitForComing = $"i=0; while [ -e {quoted}.coming' ] && [ $i -lt {ComingWaitTicks} ]; do sleep 0.05; i=$((i+1)); done; {take}; ";
        var command = $"{take} || {{ [ -e {quoted}.none' ] && exit 1; }} || {{ {waitForComing}}} || {fetch}";
        return new RecoverySettings([.. Values.Select(v => v.Key == "restore_command" ? new KeyValuePair<string, string>(v.Key, command) : v)]);
    }

    /// <summary>PostgreSQL's timestamp input format with microseconds and an explicit UTC offset.</summary>
    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);

    /// <summary><paramref name="autoConf"/> without earlier recovery settings, followed by these.</summary>
    public string ApplyTo(string autoConf)
    {
        var text = new StringBuilder(RemoveFrom(autoConf));
        text.Append(BeginMarker).Append('\n');
        foreach (var (key, value) in Values)
        {
            text.Append(key).Append(" = '").Append(value.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.Append(EndMarker).Append('\n').ToString();
    }

    /// <summary>
    /// <paramref name="autoConf"/> without any restore or recovery-target setting: left in place they would make a later
    /// restore of a backup of this cluster fail with "multiple recovery targets".
    /// </summary>
    public static string RemoveFrom(string autoConf)
    {
        ArgumentNullException.ThrowIfNull(autoConf);
        var kept = autoConf.Split('\n')
            .Where(line => line.Length > 0 && line != BeginMarker && line != EndMarker && !SetsRecoveryKey(line));
        return string.Concat(kept.Select(line => line + "\n"));
    }

    private static bool SetsRecoveryKey(string line)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        var key = (equals < 0 ? line : line[..equals]).Trim();
        return RecoveryKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
    }

    private static string ShellWord(string argument) =>
        argument.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@+,-%".Contains(c, StringComparison.Ordinal)) ? argument : "'" + argument + "'";
}
