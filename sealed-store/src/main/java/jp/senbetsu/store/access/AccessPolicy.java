package jp.senbetsu.store.access;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.keys.SecureFiles;

/**
 * Which OS users hold which role, from {@code access.properties} in the store ({@code operator=alice,bob},
 * {@code analyst=carol}, {@code auditor=dave}). The OS user is the person behind {@code sudo} when the command runs
 * as the service user (see docs/operations.md). A user may hold several roles but acts in one per command.
 */
public final class AccessPolicy
{
    private final Map<Role, Set<String>> users;

    private AccessPolicy(final Map<Role, Set<String>> users)
    {
        this.users = users;
    }

    public static AccessPolicy of(final Map<Role, Set<String>> users)
    {
        final Map<Role, Set<String>> copy = new EnumMap<>(Role.class);
        for (final Role role : Role.values())
        {
            copy.put(role, new LinkedHashSet<>(users.getOrDefault(role, Set.of())));
        }
        return new AccessPolicy(copy);
    }

    public static AccessPolicy load(final Path file)
    {
        final Properties p = new Properties();
        if (!Files.isRegularFile(file))
        {
            throw new StoreException("access policy " + file + " missing: no one holds any role", null);
        }
        try (InputStream in = Files.newInputStream(file))
        {
            p.load(in);
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot read access policy " + file + ": " + ex.getMessage(), ex);
        }
        final Map<Role, Set<String>> users = new EnumMap<>(Role.class);
        for (final Role role : Role.values())
        {
            final Set<String> names = new LinkedHashSet<>();
            for (final String name : p.getProperty(role.label(), "").split(","))
            {
                if (!name.isBlank())
                {
                    names.add(name.strip());
                }
            }
            users.put(role, names);
        }
        return new AccessPolicy(users);
    }

    public void save(final Path file)
    {
        final Properties p = new Properties();
        users.forEach((role, names) -> p.setProperty(role.label(), String.join(",", names)));
        SecureFiles.writeAtomically(file, out -> p.store(out, "senbetsu roles: role=os-user,os-user"));
    }

    public boolean holds(final String user, final Role role)
    {
        return users.get(role).contains(user);
    }

    public Set<String> users(final Role role)
    {
        return users.get(role);
    }
}
