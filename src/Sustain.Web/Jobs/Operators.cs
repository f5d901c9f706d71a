using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Sustain.Web.Jobs;

/// <summary>
/// Who runs the installation: users whose email is listed in <c>Operators:Emails</c> (a JSON array, or
/// one string separated by commas or semicolons) get the <see cref="Role"/> role on every request.
/// </summary>
public sealed class Operators
{
    public const string Role = "Operator";

    private readonly HashSet<string> _emails;

    public Operators(IConfiguration configuration)
    {
        var section = configuration.GetSection("Operators:Emails");
        var listed = (section.Value ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(section.GetChildren().Select(c => c.Value?.Trim() ?? ""))
            .Where(e => e.Length > 0);
        _emails = new HashSet<string>(listed, StringComparer.OrdinalIgnoreCase);
    }

    public bool IsListed(string? email) => email is not null && _emails.Contains(email);
}

/// <summary>Adds the operator role to a signed-in listed user's principal.</summary>
internal sealed class OperatorRoleClaims(Operators operators) : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.IsInRole(Operators.Role) || !operators.IsListed(principal.FindFirstValue(ClaimTypes.Email)))
            return Task.FromResult(principal);
        var operatorPrincipal = principal.Clone();
        operatorPrincipal.AddIdentity(new ClaimsIdentity([new Claim(ClaimTypes.Role, Operators.Role)]));
        return Task.FromResult(operatorPrincipal);
    }
}
