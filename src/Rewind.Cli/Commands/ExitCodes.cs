namespace Rewind.Cli.Commands;

/// <summary>Exit codes scripts can rely on; documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server refused or the operation failed (a rollback refused, a release not found).</summary>
    public const int Failed = 1;

    /// <summary>Invalid input: bad arguments, an invalid config file.</summary>
    public const int Invalid = 2;

    /// <summary>The Rewind server could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>
    /// <c>release check</c>: the release was marked bad or rolled back and must not be deployed again. Apart from
    /// <see cref="Failed"/> and <see cref="Unreachable"/> so a pipeline can tell a refusal from a controller it cannot ask.
    /// </summary>
    public const int Refused = 4;
}
