/**
 * The {@code jdbc} bank adapter: a bank whose ledger is a PostgreSQL database or schema of its own, created and
 * upgraded by Flyway. In mode {@code escrow} (the default) a prepare commits its holds in one local transaction and
 * holds no row lock across the prepare window; in mode {@code xa} each branch is also a real XA branch of the
 * database, prepared with {@code PREPARE TRANSACTION} through pgjdbc's {@code PGXADataSource}, so that the database's
 * own commit of the prepared transaction is the bank's commit. Depends on the SPI, the XA bridge (for the XA form of
 * a Clearhouse xid), Flyway and the PostgreSQL driver.
 */
package io.clearhouse.bank.jdbc;
