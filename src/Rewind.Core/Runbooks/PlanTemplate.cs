using System.Text;
using System.Text.RegularExpressions;

namespace Rewind.Core.Runbooks;

/// <summary>
/// The placeholders of plan templates, substituted into single argv elements, URLs, headers and bodies; nothing ever
/// reaches a shell. <c>{{component}}</c>, <c>{{target.version}}</c>, <c>{{from.version}}</c> (and the schemas and
/// deploy times of the two releases) are filled when the plan is made (and stored, so a dry run shows them);
/// <c>{{member}}</c> and <c>{{secret.NAME}}</c> only when a call is made, so a secret is never in the store, a record or
/// a dry run.
/// </summary>
public static partial class PlanTemplate
{
    public const string Member = "member";

    /// <summary>When the release being left started deploying: the moment a restore goes back to, "just before the release".</summary>
    public const string FromRecordedAt = "from.recorded-at";

    /// <summary>When the release rolled back to started deploying.</summary>
    public const string TargetRecordedAt = "target.recorded-at";

    private static readonly string[] PlanTime = ["component", "target.version", "from.version", "target.schema", "from.schema", FromRecordedAt, TargetRecordedAt];

    /// <summary>
    /// The placeholders filled only in a plan's steps (the releases' records are known there): the deploy times. A
    /// provider's switch and a drill's fault, which run without a rollback's releases, may not use them.
    /// </summary>
    public static IReadOnlyList<string> PlanStepsOnly { get; } = [FromRecordedAt, TargetRecordedAt];

    /// <summary>Null when <paramref name="text"/> is a valid template, else what is wrong.</summary>
    public static string? Check(string text, bool memberAllowed)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (name, error) in Placeholders(text))
        {
            if (error is not null)
            {
                return error;
            }

            if (!PlanTime.Contains(name, StringComparer.Ordinal) && !(memberAllowed && name == Member) && !IsSecret(name))
            {
                return $"unknown placeholder {{{{{name}}}}}; known: {string.Join(", ", PlanTime.Select(p => "{{" + p + "}}"))}{(memberAllowed ? ", {{member}}" : "")}, {{{{secret.NAME}}}} (an environment variable of the controller)";
            }
        }

        return null;
    }

    /// <summary>Fills the plan-time placeholders; <c>{{member}}</c> and secrets stay for <see cref="RenderCall"/>.</summary>
    public static string RenderPlan(string text, string component, string targetVersion, string? fromVersion) =>
        RenderPlan(text, new PlanValues(component, targetVersion, fromVersion));

    /// <summary>
    /// As above, with the schemas of the two releases (<c>{{target.schema}}</c>, <c>{{from.schema}}</c>; <c>unknown</c>
    /// when not recorded) and when they started deploying (<c>{{from.recorded-at}}</c>, <c>{{target.recorded-at}}</c>:
    /// RFC 3339 UTC to the millisecond, cut down, never rounded up). A time that is not known is left as its placeholder,
    /// never made up: <see cref="Unknown"/> names it, and the planner refuses such a plan.
    /// </summary>
    public static string RenderPlan(string text, PlanValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Replace(text, name => name switch
        {
            "component" => values.Component,
            "target.version" => values.TargetVersion,
            "from.version" => values.FromVersion ?? "unknown",
            "target.schema" => values.TargetSchema ?? "unknown",
            "from.schema" => values.FromSchema ?? "unknown",
            FromRecordedAt => Rfc3339(values.FromRecordedAt),
            TargetRecordedAt => Rfc3339(values.TargetRecordedAt),
            _ => null,
        });
    }

    /// <summary>The plan-time placeholders of <paramref name="text"/> whose value <paramref name="values"/> does not know (the deploy times).</summary>
    public static IEnumerable<string> Unknown(string text, PlanValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Placeholders(text).Where(p => p.Error is null
            && ((p.Name == FromRecordedAt && values.FromRecordedAt is null) || (p.Name == TargetRecordedAt && values.TargetRecordedAt is null))).Select(p => p.Name);
    }

    /// <summary>The first placeholder of <paramref name="text"/> that only a plan's steps fill, or null.</summary>
    public static string? PlanStepOnly(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Placeholders(text).Where(p => p.Error is null).Select(p => p.Name).FirstOrDefault(n => PlanStepsOnly.Contains(n, StringComparer.Ordinal));
    }

    /// <summary>RFC 3339 in UTC with milliseconds, truncated: a restore to it never includes what came after the moment.</summary>
    public static string? Rfc3339(DateTimeOffset? moment) =>
        moment?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Fills <c>{{member}}</c> and <c>{{secret.NAME}}</c> for one call. A secret whose variable is unset or empty
    /// throws <see cref="InvalidOperationException"/> naming the variable, never its value.
    /// </summary>
    public static string RenderCall(string text, string? member, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Replace(text, name =>
        {
            if (name == Member)
            {
                return member;
            }

            if (!IsSecret(name))
            {
                return null;
            }

            var variable = name["secret.".Length..];
            var value = environment(variable);
            return string.IsNullOrEmpty(value) ? throw new InvalidOperationException($"secret {variable}: the environment variable is not set") : value;
        });
    }

    /// <summary>The secrets a template uses, by variable name.</summary>
    public static IEnumerable<string> Secrets(string text) =>
        Placeholders(text).Where(p => p.Error is null && IsSecret(p.Name)).Select(p => p.Name["secret.".Length..]);

    /// <summary>A member name safe to put into an argv element: no option-looking or control characters.</summary>
    public static bool IsValidMember(string member) => MemberName().IsMatch(member);

    private static bool IsSecret(string name) => name.StartsWith("secret.", StringComparison.Ordinal) && SecretName().IsMatch(name["secret.".Length..]);

    private static string Replace(string text, Func<string, string?> value)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                builder.Append(text, position, text.Length - position);
                break;
            }

            builder.Append(text, position, open - position);
            var name = text[(open + 2)..close].Trim();
            builder.Append(value(name) ?? text[open..(close + 2)]);
            position = close + 2;
        }

        return builder.ToString();
    }

    private static IEnumerable<(string Name, string? Error)> Placeholders(string text)
    {
        var position = 0;
        while (true)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                yield break;
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                yield return ("", $"'{{{{' at character {open + 1} is never closed with '}}}}'");
                yield break;
            }

            yield return (text[(open + 2)..close].Trim(), null);
            position = close + 2;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SecretName();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._:@/+=-]{0,254}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MemberName();
}

/// <summary>What the plan-time placeholders stand for in one plan.</summary>
public sealed record PlanValues(string Component, string TargetVersion, string? FromVersion, string? TargetSchema = null, string? FromSchema = null)
{
    /// <summary>When the release being left started deploying (<see cref="Releases.Release.DeployStartedAt"/>); null when not known.</summary>
    public DateTimeOffset? FromRecordedAt { get; init; }

    /// <summary>When the release rolled back to started deploying; null when not known.</summary>
    public DateTimeOffset? TargetRecordedAt { get; init; }
}
