using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Reprise.Hosts;

namespace Reprise.DependencyInjection;

/// <summary>Turns <see cref="HostCoordinationOptions.Validate"/> into options validation, so that bad values fail on start.</summary>
internal sealed class HostCoordinationOptionsValidator : IValidateOptions<HostCoordinationOptions>
{
    public ValidateOptionsResult Validate(string? name, HostCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
