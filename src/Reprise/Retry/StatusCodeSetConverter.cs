using System.ComponentModel;
using System.Globalization;

namespace Reprise.Retry;

/// <summary>
/// Converts a <see cref="StatusCodeSet"/> from and to its written form (<c>429,500-504</c>), so that configuration
/// binding reads <c>"RetryOn": "429,500-504"</c> from appsettings.json.
/// </summary>
internal sealed class StatusCodeSetConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType)
        => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType)
        => destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
        => value is string text ? StatusCodeSet.Parse(text) : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
        => destinationType == typeof(string) && value is StatusCodeSet set ? set.ToString() : base.ConvertTo(context, culture, value, destinationType);
}
