namespace Reprise.DependencyInjection;

/// <summary>What <c>AddReprise</c> records about one named client, as named options keyed by the client's name.</summary>
internal sealed class RepriseClientRegistration
{
    /// <summary>Gets or sets the name of the host registry the client uses; the client's own name when null.</summary>
    public string? HostRegistryName { get; set; }
}

/// <summary>Marks a client name whose pipeline already has the Reprise handler, so that it is added once.</summary>
internal sealed record RepriseClientMarker(string Name);
