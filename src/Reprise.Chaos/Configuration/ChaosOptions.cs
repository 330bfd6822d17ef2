using System.Text.Json;

namespace Reprise.Chaos.Configuration;

/// <summary>The options of a chaos server: its hosts. Built in code or read from JSON (camelCase field names).</summary>
public sealed class ChaosOptions
{
    /// <summary>Gets or sets the hosts of the server, each on its own port.</summary>
    /// <value>The default value is empty; a server needs at least one host.</value>
    public IList<ChaosHostOptions> Hosts { get; set; } = [];

    /// <summary>Reads chaos options from a JSON file and validates them.</summary>
    /// <param name="path">The path of the JSON file.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ChaosOptionsException">The file is not valid JSON, has an unknown field, or a value is out of range.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ChaosOptions Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>Reads chaos options from JSON text and validates them.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ChaosOptionsException">The text is not valid JSON, has an unknown field, or a value is out of range.</exception>
    public static ChaosOptions Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ChaosOptions? options;
        try
        {
            options = JsonSerializer.Deserialize(json, ChaosJsonContext.Default.ChaosOptions);
        }
        catch (JsonException ex)
        {
            throw new ChaosOptionsException(DescribeJsonError(ex), ex);
        }

        if (options is null)
        {
            throw new ChaosOptionsException("Chaos options must be a JSON object, not null.");
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks every value and throws on the first one out of range.</summary>
    /// <exception cref="ChaosOptionsException">A value is out of range; the message names it by its JSON path.</exception>
    public void Validate() => ChaosOptionsValidator.Validate(this);

    private static string DescribeJsonError(JsonException ex)
    {
        // The serializer's own message already names the field and the line; only strip its "$." prefix convention.
        var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : ex.Path;
        return path is null
            ? $"Chaos options are not valid JSON: {ex.Message}"
            : $"Chaos options are not valid at {path}: {ex.Message}";
    }
}
