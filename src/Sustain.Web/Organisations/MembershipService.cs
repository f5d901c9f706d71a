using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;

namespace Sustain.Web.Organisations;

public sealed record MemberView(string UserId, string Name, string? Email, OrganisationRole Role, DateTimeOffset JoinedAt);

/// <summary>
/// Who is in an organisation and with which role. Owners and admins manage members; an admin cannot make
/// owners or touch them; the last owner can be neither demoted nor removed, so an organisation always has one.
/// </summary>
public sealed class MembershipService(IDbContextFactory<SustainDbContext> contexts)
{
    public async Task<List<MemberView>> ListAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var members = await db.Memberships.AsNoTracking()
            .Where(m => m.OrganisationId == organisationId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.DisplayName, u.Email, u.UserName, m.Role, m.JoinedAt })
            .ToListAsync(cancellation);
        return members
            .Select(m => new MemberView(m.UserId, m.DisplayName ?? m.UserName ?? m.Email ?? "Unnamed user", m.Email, m.Role, m.JoinedAt))
            .OrderByDescending(m => m.Role).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Changes a member's role; returns why it was refused, or null when done.</summary>
    public async Task<string?> ChangeRoleAsync(OrgAccess actor, string userId, OrganisationRole role, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(role))
            return "Choose Owner, Admin or Member.";
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var actorRole = await RoleOfAsync(db, actor, cancellation);
        var target = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == actor.Organisation.Id && m.UserId == userId, cancellation);
        var refusal = RefuseChange(actorRole, target, role) ?? await RefuseLosingLastOwnerAsync(db, target!, role, cancellation);
        if (refusal is not null)
            return refusal;
        if (target!.Role == role)
            return null;

        target.Role = role;
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return null;
    }

    /// <summary>Removes a member (or lets a member leave); returns why it was refused, or null when done.</summary>
    public async Task<string?> RemoveAsync(OrgAccess actor, string userId, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var actorRole = await RoleOfAsync(db, actor, cancellation);
        var target = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == actor.Organisation.Id && m.UserId == userId, cancellation);
        var leaving = actorRole is not null && userId == actor.UserId;
        var refusal = target is null ? "That person is not a member of this organisation."
            : leaving ? null
            : RefuseChange(actorRole, target, target.Role);
        refusal ??= await RefuseLosingLastOwnerAsync(db, target!, null, cancellation);
        if (refusal is not null)
            return refusal;

        db.Memberships.Remove(target!);
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return null;
    }

    /// <summary>The actor's role as the database has it now, not as it was when the page loaded.</summary>
    internal static Task<OrganisationRole?> RoleOfAsync(SustainDbContext db, OrgAccess actor, CancellationToken cancellation) =>
        actor.UserId is null
            ? Task.FromResult<OrganisationRole?>(null)
            : db.Memberships.Where(m => m.OrganisationId == actor.Organisation.Id && m.UserId == actor.UserId).Select(m => (OrganisationRole?)m.Role).SingleOrDefaultAsync(cancellation);

    private static string? RefuseChange(OrganisationRole? actorRole, Membership? target, OrganisationRole role)
    {
        if (actorRole is not (OrganisationRole.Owner or OrganisationRole.Admin))
            return "Only owners and admins can manage members.";
        if (target is null)
            return "That person is not a member of this organisation.";
        if (actorRole == OrganisationRole.Admin && (target.Role == OrganisationRole.Owner || role == OrganisationRole.Owner))
            return "Only an owner can make someone an owner, or change or remove an owner.";
        return null;
    }

    /// <summary>Refuses when the change (a new role, or null for removal) would leave the organisation without an owner.</summary>
    private static async Task<string?> RefuseLosingLastOwnerAsync(SustainDbContext db, Membership target, OrganisationRole? newRole, CancellationToken cancellation)
    {
        if (target.Role != OrganisationRole.Owner || newRole == OrganisationRole.Owner)
            return null;
        var owners = await db.Memberships.CountAsync(m => m.OrganisationId == target.OrganisationId && m.Role == OrganisationRole.Owner, cancellation);
        return owners > 1 ? null : "An organisation needs at least one owner: make someone else an owner first.";
    }
}
