using System.Globalization;
using System.Text;

namespace Rewind.Core.Signals.Metrics;

/// <summary>
/// Reads the Prometheus text exposition format (0.0.4): <c># HELP</c> and <c># TYPE</c> lines, samples with escaped
/// label values, special values (NaN, +Inf, -Inf) and optional timestamps. A bad line is reported and skipped, never
/// thrown: one broken metric must not blind the controller to the others. (No parser package is available here; this
/// is the small subset of the format scrapes need.)
/// </summary>
public static class PrometheusText
{
    private const int MaxErrors = 20;

    public static Exposition Parse(string text)
    {
        var samples = new List<MetricSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[1] == "TYPE")
                {
                    types[parts[2]] = parts[3];
                }

                continue;
            }

            if (TryParseSample(line, out var sample, out var error))
            {
                samples.Add(sample!);
            }
            else if (errors.Count < MaxErrors)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: {error}"));
            }
        }

        return new Exposition(samples, types, errors);
    }

    private static bool TryParseSample(string line, out MetricSample? sample, out string error)
    {
        sample = null;
        var position = 0;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
        {
            position++;
        }

        var name = line[..position];
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            error = "expected a metric name";
            return false;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{' && !TryParseLabels(line, ref position, labels, out error))
        {
            return false;
        }

        var rest = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2 || !TryParseValue(rest[0], out var value))
        {
            error = $"expected a value after {name}";
            return false;
        }

        long? timestamp = null;
        if (rest.Length == 2)
        {
            if (!long.TryParse(rest[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                error = $"expected a timestamp in milliseconds after the value of {name}";
                return false;
            }

            timestamp = ms;
        }

        sample = new MetricSample(name, labels, value, timestamp);
        error = "";
        return true;
    }

    private static bool TryParseLabels(string line, ref int position, Dictionary<string, string> labels, out string error)
    {
        position++; // '{'
        while (true)
        {
            while (position < line.Length && line[position] is ' ' or ',')
            {
                position++;
            }

            if (position < line.Length && line[position] == '}')
            {
                position++;
                error = "";
                return true;
            }

            var start = position;
            while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '_'))
            {
                position++;
            }

            var label = line[start..position];
            if (label.Length == 0 || position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
            {
                error = "malformed label set";
                return false;
            }

            position += 2;
            var value = new StringBuilder();
            while (position < line.Length && line[position] != '"')
            {
                if (line[position] == '\\' && position + 1 < line.Length)
                {
                    position++;
                    value.Append(line[position] switch { 'n' => '\n', var c => c });
                }
                else
                {
                    value.Append(line[position]);
                }

                position++;
            }

            if (position >= line.Length)
            {
                error = $"unterminated value of label {label}";
                return false;
            }

            position++; // closing quote
            labels[label] = value.ToString();
        }
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
