namespace Reprise.Chaos.Configuration;

/// <summary>The chaos options are not valid: malformed JSON, an unknown field or a value out of range.</summary>
/// <remarks>The message names the offending field by its JSON path, for example <c>hosts[0].routes[1].failureProbability</c>.</remarks>
public sealed class ChaosOptionsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ChaosOptionsException"/> class.</summary>
    public ChaosOptionsException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChaosOptionsException"/> class with a message.</summary>
    /// <param name="message">The message naming the bad field.</param>
    public ChaosOptionsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChaosOptionsException"/> class with a message and a cause.</summary>
    /// <param name="message">The message naming the bad field.</param>
    /// <param name="innerException">The error that made the options invalid.</param>
    public ChaosOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
