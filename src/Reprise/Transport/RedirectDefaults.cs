namespace Reprise.Transport;

/// <summary>The defaults and bounds of <see cref="RedirectOptions"/>; docs/design.md gives the reasons.</summary>
internal static class RedirectDefaults
{
    // Real chains are short (http -> https, apex -> www, a locale, a login): ten is Go's net/http limit and leaves
    // room for all of them, while a hostile server gets at most ten extra requests out of one.
    public const int MaxRedirects = 10;
    public const int MaxRedirectsLimit = 50;
}
