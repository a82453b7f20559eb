namespace Rewind.Engine;

/// <summary>The controller cannot start as configured (a secret's environment variable is not set, say); the message says what to fix.</summary>
public sealed class RewindStartException(string message) : Exception(message);
