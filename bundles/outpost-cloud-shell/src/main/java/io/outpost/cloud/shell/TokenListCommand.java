package io.outpost.cloud.shell;

import io.outpost.cloud.web.ApiToken;
import io.outpost.cloud.web.ApiTokens;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code cloud:token-list}: the REST API tokens (ids and scopes; secrets are never kept). */
@Service
@Command(scope = "cloud", name = "token-list", description = "Lists REST API tokens (no secrets)")
public class TokenListCommand implements Action {

    @Reference
    ApiTokens tokens;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Scope");
        table.column("Created");
        table.column("Description").maxSize(60);
        for (ApiToken t : tokens.list()) {
            table.addRow().addContent(t.id(), t.scope().wireName(), t.createdAt(), t.description());
        }
        table.print(System.out);
        return null;
    }
}
