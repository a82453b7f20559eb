using System.Buffers;
using System.Text;

namespace Rewind.Core.Runbooks;

/// <summary>
/// Replaces the values of the secrets a plan names (<c>{{secret.NAME}}</c>) with <c>[secret NAME]</c> in what its steps
/// report, before that text is stored, logged, put on a timeline, served or sent. An environment variable filled from a
/// secret holds the secret's value, so its value is replaced where it holds it.
/// </summary>
/// <remarks>
/// Only the value as it is is recognised, not an encoded form of it (base64, URL or JSON escapes). A value shorter than
/// <see cref="MinimumLength"/> characters is left alone: replacing every <c>on</c> or <c>42</c> in a command's output would
/// mangle it and protect nothing.
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>Values shorter than this (4 characters) are not replaced.</summary>
    public const int MinimumLength = 4;

    // Longest first: where two secrets start at the same place, the longer one is replaced whole.
    private readonly (string Value, string Replacement)[] _secrets;
    private readonly SearchValues<string>? _values;

    /// <param name="secrets">Each secret's value by its name.</param>
    public SecretRedactor(IEnumerable<KeyValuePair<string, string>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = [.. secrets
            .Where(s => s.Value.Length >= MinimumLength)
            .DistinctBy(s => s.Value, StringComparer.Ordinal)
            .OrderByDescending(s => s.Value.Length)
            .Select(s => (s.Value, $"[secret {s.Key}]"))];
        _values = _secrets.Length == 0 ? null : SearchValues.Create([.. _secrets.Select(s => s.Value)], StringComparison.Ordinal);
    }

    /// <summary>Replaces nothing.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary>
    /// The secrets the steps name in their call templates (argv, environment, headers, bodies), with their values from
    /// <paramref name="environment"/>. A secret that is unset is left out: a step that needs it fails before it runs.
    /// </summary>
    public static SecretRedactor For(IEnumerable<PlanStep> steps, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(environment);
        var names = steps.SelectMany(s => s.CallTemplates).SelectMany(PlanTemplate.Secrets).Distinct(StringComparer.Ordinal);
        return new(names.Select(name => KeyValuePair.Create(name, environment(name) ?? "")));
    }

    /// <summary>The text with every occurrence of a secret's value replaced by <c>[secret NAME]</c>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var next = _values is null ? -1 : text.AsSpan().IndexOfAny(_values);
        if (next < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (next >= 0)
        {
            var start = position + next;
            var (value, replacement) = _secrets.First(s => text.AsSpan(start).StartsWith(s.Value, StringComparison.Ordinal));
            builder.Append(text, position, start - position).Append(replacement);
            position = start + value.Length;
            next = text.AsSpan(position).IndexOfAny(_values!);
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
