using System.Globalization;

namespace Reprise.Chaos.Faults;

/// <summary>A parsed <c>sequence</c> such as <c>reset,503,200</c>: the outcome of a key's n-th call, the last repeating.</summary>
internal sealed class OutcomeSequence
{
    private readonly Outcome[] _outcomes;

    private OutcomeSequence(Outcome[] outcomes) => _outcomes = outcomes;

    /// <summary>The outcome of call <paramref name="call"/> (1-based).</summary>
    public Outcome At(long call) => _outcomes[(int)Math.Min(call, _outcomes.Length) - 1];

    /// <summary>Parses the entries; <c>cut</c> takes the route's <paramref name="cutStatus"/>.</summary>
    public static bool TryParse(string text, out OutcomeSequence? sequence, out string? badEntry, int cutStatus = 200)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var outcomes = new Outcome[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            Outcome? outcome = part.ToLowerInvariant() switch
            {
                "reset" => new Outcome(0, FaultKind.Reset),
                "hang" => new Outcome(0, FaultKind.Hang),
                "close" => new Outcome(0, FaultKind.Close),
                "cut" => new Outcome(cutStatus, FaultKind.CutShort),
                _ when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599
                    => new Outcome(status, FaultKind.None),
                _ => null,
            };
            if (outcome is null)
            {
                sequence = null;
                badEntry = part;
                return false;
            }

            outcomes[i] = outcome.Value;
        }

        sequence = new OutcomeSequence(outcomes);
        badEntry = null;
        return true;
    }
}
