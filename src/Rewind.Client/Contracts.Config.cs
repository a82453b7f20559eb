namespace Rewind.Client;

/// <summary>
/// The config file this controller runs on: its path, the number of the config in force (1 at start, one more per applied
/// reload), and the last reload (null before the first). Each replica reads its own file.
/// </summary>
public sealed record ConfigStatusDto(string? File, long Version, ConfigReloadDto? LastReload);

/// <summary>
/// One reload of the config file. <see cref="Outcome"/>: <c>applied</c> (the new config is in force), <c>unchanged</c>
/// (nothing a reload applies changed) or <c>refused</c> (invalid: the running config stays in force, the
/// <see cref="Errors"/> say why and where). <see cref="Changes"/> names what changed (<c>policy web.down changed</c>);
/// <see cref="NeedsRestart"/> the changed settings a reload cannot apply, whose running values stay in force.
/// A refusal is an answer, not an error status.
/// </summary>
public sealed record ConfigReloadDto(
    DateTimeOffset At,
    string Actor,
    string Outcome,
    long Version,
    IReadOnlyList<string> Changes,
    IReadOnlyList<ConfigSettingDto> NeedsRestart,
    IReadOnlyList<ConfigErrorDto> Errors);

/// <summary>A setting that needs a restart, and where the file writes it.</summary>
public sealed record ConfigSettingDto(string Key, string File, int Line, int Column)
{
    public override string ToString() => $"{Key} ({File}:{Line}:{Column})";
}

/// <summary>An error in the config file, at its place.</summary>
public sealed record ConfigErrorDto(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
