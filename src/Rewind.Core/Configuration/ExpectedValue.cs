using System.Globalization;

namespace Rewind.Core.Configuration;

/// <summary>What a validation query's value must be: a comparison with a number, or a literal.</summary>
public sealed record ExpectedValue(string Operator, string Operand)
{
    private static readonly string[] Operators = [">=", "<=", ">", "<", "="];

    public static bool TryParse(string text, out ExpectedValue? expected)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var op = Operators.FirstOrDefault(o => trimmed.StartsWith(o, StringComparison.Ordinal));
        if (op is null)
        {
            expected = trimmed.Length == 0 ? null : new ExpectedValue("is", trimmed);
            return expected is not null;
        }

        var operand = trimmed[op.Length..].Trim();
        expected = double.TryParse(operand, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? new ExpectedValue(op, operand) : null;
        return expected is not null;
    }

    /// <summary>Whether <paramref name="value"/> (as the query returned it) meets the expectation.</summary>
    public bool Holds(string? value)
    {
        if (Operator == "is")
        {
            return string.Equals(value, Operand, StringComparison.Ordinal);
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual))
        {
            return false;
        }

        var bound = double.Parse(Operand, CultureInfo.InvariantCulture);
        return Operator switch { ">" => actual > bound, ">=" => actual >= bound, "<" => actual < bound, "<=" => actual <= bound, _ => actual == bound };
    }

    public override string ToString() => Operator == "is" ? $"'{Operand}'" : $"{Operator} {Operand}";
}
