package io.outpost.cloud.shell;

import io.outpost.cloud.web.ApiTokens;
import io.outpost.cloud.web.IssuedToken;
import io.outpost.cloud.web.TokenScope;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * {@code cloud:token-create}: issues a REST API token and prints it once; only its hash is kept. The printed line
 * is the token alone, so scripts can capture it.
 */
@Service
@Command(scope = "cloud", name = "token-create", description = "Issues a REST API token (printed once; only its hash is kept)")
public class TokenCreateCommand implements Action {

    @Option(name = "--scope", description = "read (GET only) or admin (everything); default read")
    @Completion(value = StringsCompleter.class, values = {"read", "admin"})
    String scope = "read";

    @Option(name = "--description", description = "Who or what uses it")
    String description = "";

    @Reference
    ApiTokens tokens;

    @Override
    public Object execute() {
        IssuedToken t = tokens.create(TokenScope.parse(scope), description);
        System.out.println(t.bearer());
        return null;
    }
}
