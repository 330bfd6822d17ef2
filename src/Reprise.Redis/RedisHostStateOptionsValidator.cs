using Microsoft.Extensions.Options;

namespace Reprise.Redis;

/// <summary>Validates <see cref="RedisHostStateOptions"/> from its attributes (source-generated), at start-up and in constructors.</summary>
[OptionsValidator]
internal sealed partial class RedisHostStateOptionsValidator : IValidateOptions<RedisHostStateOptions>
{
    public static void ThrowIfInvalid(RedisHostStateOptions options)
    {
        var result = new RedisHostStateOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(string.Empty, typeof(RedisHostStateOptions), result.Failures);
        }
    }
}
