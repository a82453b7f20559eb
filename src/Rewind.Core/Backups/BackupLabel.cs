namespace Rewind.Core.Backups;

/// <summary>
/// The parts of PostgreSQL's <c>backup_label</c> (and of a <c>.backup</c> history file, which repeats it and adds the
/// stop position) that a restore needs.
/// </summary>
public sealed record BackupLabel(Lsn StartLsn, uint Timeline, string Label, Lsn? StopLsn)
{
    public static BackupLabel? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split('\n')
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1].Trim(), StringComparer.Ordinal);
        if (!fields.TryGetValue("START WAL LOCATION", out var start) || !Lsn.TryParse(start.Split(' ')[0], out var startLsn)
            || !fields.TryGetValue("START TIMELINE", out var timelineText) || !uint.TryParse(timelineText, System.Globalization.CultureInfo.InvariantCulture, out var timeline))
        {
            return null;
        }

        Lsn? stopLsn = fields.TryGetValue("STOP WAL LOCATION", out var stop) && Lsn.TryParse(stop.Split(' ')[0], out var parsed) ? parsed : null;
        return new BackupLabel(startLsn, timeline, fields.GetValueOrDefault("LABEL") ?? "", stopLsn);
    }
}
