using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>What to dump.</summary>
/// <param name="Url">The cluster's <c>postgres://</c> URL (the provider's); its role needs read access to every table dumped.</param>
/// <param name="Databases">The databases, one file each in one dump set.</param>
public sealed record LogicalDumpRequest(string Url, IReadOnlyList<string> Databases);

/// <summary>What a logical dump did; <see cref="Manifest"/> is set when it succeeded.</summary>
public sealed record LogicalDumpResult(bool Succeeded, string Message, DumpManifest? Manifest)
{
    public TimeSpan Duration { get; init; }
}
