namespace Rewind.Core.Configuration;

/// <summary>One problem in a config file, with the place an editor can jump to.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Either a usable config or every error found in the file, never both.</summary>
public sealed record ConfigResult(RewindConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;
}
