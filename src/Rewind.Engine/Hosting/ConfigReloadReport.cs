using Rewind.Core.Configuration;

namespace Rewind.Engine.Hosting;

/// <summary>What became of a reload of the config file.</summary>
internal enum ConfigReloadOutcome
{
    /// <summary>The new config is in force.</summary>
    Applied,

    /// <summary>Valid, and nothing a reload can apply changed (settings that need a restart may have).</summary>
    Unchanged,

    /// <summary>Invalid: the running config stays in force.</summary>
    Refused,
}

/// <summary>A setting changed in the file that the running controller keeps until it restarts, and where the file writes it.</summary>
internal sealed record RestartNeeded(string Key, ConfigPosition Position)
{
    public override string ToString() => $"{Key} ({Position.File}:{Position.Line}:{Position.Column})";
}

/// <summary>
/// One reload: when, who or what asked (<c>SIGHUP</c>, <c>file watch</c>, a user), the outcome, the number of the config in
/// force after it, what it changed (names only), what needs a restart, and the errors that refused it.
/// </summary>
internal sealed record ConfigReloadReport(
    DateTimeOffset At,
    string File,
    string Actor,
    ConfigReloadOutcome Outcome,
    long Version,
    IReadOnlyList<string> Changes,
    IReadOnlyList<RestartNeeded> NeedsRestart,
    IReadOnlyList<ConfigError> Errors)
{
    public string OutcomeName => Outcome.ToString().ToLowerInvariant();

    /// <summary>
    /// One line for the audit log: the changes, what needs a restart, or where the errors are and which key each is about
    /// (never the rest of its message, which may quote a value the file holds: the audit log keeps what it is given).
    /// </summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (Outcome == ConfigReloadOutcome.Refused)
        {
            var errors = Errors.Take(20).Select(e => $"{e.File}:{e.Line}:{e.Column}: {e.Message.Split(": ", 2)[0]}");
            parts.Add($"{Errors.Count} error(s), the running config stays in force: {string.Join("; ", errors)}{(Errors.Count > 20 ? "; …" : "")}");
        }
        else
        {
            parts.Add(Changes.Count == 0 ? "nothing to apply" : string.Join("; ", Changes.Take(50)) + (Changes.Count > 50 ? $"; and {Changes.Count - 50} more" : ""));
        }

        if (NeedsRestart.Count > 0)
        {
            parts.Add($"needs a restart, running values kept: {string.Join(", ", NeedsRestart)}");
        }

        return string.Join("; ", parts);
    }
}
