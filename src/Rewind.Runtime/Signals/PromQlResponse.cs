using System.Globalization;
using System.Text.Json;

namespace Rewind.Runtime.Signals;

/// <summary>
/// Reads an answer of the Prometheus HTTP API to an instant query: <c>{"status":"success","data":{"resultType":
/// "vector","result":[{"metric":{…},"value":[1700000000.1,"0.02"]}]}}</c>, or <c>{"status":"error","errorType":…,
/// "error":…}</c>. A signal is one number, so a vector must hold exactly one series.
/// </summary>
public static class PromQlResponse
{
    public static QueryResult Parse(int statusCode, string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return QueryResult.Failed(statusCode is >= 200 and < 300
                ? $"not a Prometheus API answer: {ex.Message}"
                : $"status {statusCode.ToString(CultureInfo.InvariantCulture)}");
        }

        using (document)
        {
            try
            {
                return Read(statusCode, document.RootElement);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                return QueryResult.Failed("not a Prometheus API answer: " + ex.Message);
            }
        }
    }

    private static QueryResult Read(int statusCode, JsonElement root)
    {
        var status = root.GetProperty("status").GetString();
        if (status != "success")
        {
            var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : null;
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
            return QueryResult.Failed(error is null
                ? $"status {statusCode.ToString(CultureInfo.InvariantCulture)}"
                : type is null ? error : $"{type}: {error}");
        }

        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() switch
        {
            "scalar" => Sample(result),
            "vector" => result.GetArrayLength() switch
            {
                0 => QueryResult.NoData("empty result"),
                1 => Sample(result[0].GetProperty("value")),
                var n => QueryResult.Failed($"query returned {n.ToString(CultureInfo.InvariantCulture)} series; aggregate it (e.g. sum(...))"),
            },
            "matrix" => QueryResult.Failed("query returned a range vector; an instant vector or a scalar is needed"),
            var other => QueryResult.Failed($"query returned a {other}; an instant vector or a scalar is needed"),
        };
    }

    /// <summary>A sample is <c>[time, "value"]</c>, the value a string so that NaN and ±Inf survive JSON.</summary>
    private static QueryResult Sample(JsonElement sample)
    {
        var text = sample[1].GetString() ?? throw new FormatException("a sample value is null");
        var value = text switch
        {
            "NaN" => double.NaN,
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return double.IsNaN(value) ? QueryResult.NoData("NaN") : QueryResult.Of(value);
    }
}
