using System.Globalization;
using System.Text.Json;

namespace CretoAI.Fast.LoadGen.Sla;

/// <summary>Reads an SLA file; every problem becomes a <see cref="LoadGenException"/> that names the file, the field and what is expected.</summary>
public static class SlaParser
{
    public static SlaSpec Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new LoadGenException($"cannot read SLA file '{path}': {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    public static SlaSpec Parse(string json, string source = "SLA")
    {
        SlaDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, LoadGenJsonContext.Default.SlaDocument);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, column {ex.BytePositionInLine + 1}" : string.Empty;
            throw new LoadGenException($"{source} is not a valid SLA file{where}: {FirstSentence(ex.Message)}", ex);
        }

        if (document is null)
        {
            throw new LoadGenException($"{source} is empty (expected a JSON object with latency, minThroughput, maxErrorRate)");
        }

        var limits = new List<LatencyLimit>();
        foreach (var (key, value) in document.Latency ?? [])
        {
            if (!TryParsePercentile(key, out var percentile))
            {
                throw new LoadGenException($"{source}: latency key '{key}' is not a percentile; write p50, p99, p99.9, p99.99 or max");
            }

            if (!TryParseDuration(value, out var micros))
            {
                throw new LoadGenException($"{source}: latency.{key} = '{value}' is not a duration; write a positive number with a unit, e.g. 250us, 2ms, 1.5s");
            }

            limits.Add(new LatencyLimit(key, percentile, micros));
        }

        limits.Sort((a, b) => a.Percentile.CompareTo(b.Percentile));
        if (document.MinThroughput is { } throughput && !(throughput >= 0 && double.IsFinite(throughput)))
        {
            throw new LoadGenException($"{source}: minThroughput must be a non-negative number of requests per second (got {throughput.ToString(CultureInfo.InvariantCulture)})");
        }

        if (document.MaxErrorRate is { } errorRate && !(errorRate is >= 0 and <= 1))
        {
            throw new LoadGenException($"{source}: maxErrorRate must be between 0 and 1, a fraction of sent requests (got {errorRate.ToString(CultureInfo.InvariantCulture)})");
        }

        if (limits.Count == 0 && document.MinThroughput is null && document.MaxErrorRate is null)
        {
            throw new LoadGenException($"{source} sets no criterion; give at least one of latency, minThroughput, maxErrorRate");
        }

        return new SlaSpec(document.Name ?? Path.GetFileNameWithoutExtension(source), limits, document.MinThroughput, document.MaxErrorRate);
    }

    /// <summary>"p99.9" → 99.9, "max" → 100.</summary>
    public static bool TryParsePercentile(string text, out double percentile)
    {
        percentile = 0;
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase))
        {
            percentile = 100;
            return true;
        }

        return text.Length > 1 && (text[0] is 'p' or 'P')
            && double.TryParse(text.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percentile)
            && percentile is > 0 and <= 100;
    }

    /// <summary>"250us", "2ms", "1.5s", "800ns" → microseconds.</summary>
    public static bool TryParseDuration(string? text, out double micros)
    {
        micros = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var split = 0;
        while (split < span.Length && (char.IsAsciiDigit(span[split]) || span[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !double.TryParse(span[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var unit = span[split..].Trim();
        double scale = unit switch
        {
            "ns" => 0.001,
            "us" or "µs" => 1,
            "ms" => 1000,
            "s" => 1_000_000,
            _ => double.NaN,
        };
        micros = number * scale;
        return double.IsFinite(micros) && micros > 0;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
