namespace Rewind.Core.Releases;

/// <summary>What the store knows about a component: the release it is on now.</summary>
public sealed record ComponentState(string Name, string Provider, string? CurrentVersion, DateTimeOffset? CurrentSince);
