-- Dossier types of DOMAIN.md §2.1; admins edit and add to them later.
INSERT INTO record_types (code, title, in_use_from, in_use_to, legal_basis, restricted_by_default) VALUES
('LE', 'Licenza edilizia', 1942, 1977, 'L. 1150/1942', 0),
('CE', 'Concessione edilizia', 1977, 2003, 'L. 10/1977', 0),
('AUT', 'Autorizzazione edilizia', NULL, 2003, 'L. 457/1978 art. 48', 0),
('PDC', 'Permesso di costruire', 2003, NULL, 'DPR 380/2001 art. 10', 0),
('DIA', 'Denuncia di inizio attività', 1996, 2016, 'L. 662/1996, L. 443/2001', 0),
('SCIA', 'Segnalazione certificata di inizio attività', 2010, NULL, 'DPR 380/2001 art. 22-23', 0),
('CILA', 'Comunicazione inizio lavori asseverata', 2010, NULL, 'DPR 380/2001 art. 6, 6-bis', 0),
('CILAS', 'CILA-Superbonus', 2021, NULL, 'DL 34/2020 art. 119', 0),
('COND', 'Condono edilizio', 1985, NULL, 'L. 47/1985, L. 724/1994, L. 326/2003', 0),
('SAN', 'Accertamento di conformità (sanatoria)', 1985, NULL, 'L. 47/1985 art. 13; DPR 380/2001 art. 36, 36-bis', 0),
('AGI', 'Abitabilità / agibilità', NULL, 2016, 'RD 1265/1934; DPR 380/2001 art. 24', 0),
('SCA', 'Segnalazione certificata per l''agibilità', 2016, NULL, 'DPR 380/2001 art. 24', 0),
('PAES', 'Autorizzazione paesaggistica', NULL, NULL, 'd.lgs. 42/2004 art. 146', 0),
('SISM', 'Deposito strutturale / sismico', 1971, NULL, 'L. 1086/1971, L. 64/1974; DPR 380/2001 parte II', 0),
('VAR', 'Variante', NULL, NULL, NULL, 0),
('PROR', 'Proroga', NULL, NULL, NULL, 0),
('VOLT', 'Voltura', NULL, NULL, NULL, 0),
('FL', 'Fine lavori', NULL, NULL, NULL, 0),
('ABUSI', 'Abusi edilizi: esposti, sopralluoghi, ordinanze', NULL, NULL, 'DPR 380/2001 art. 27-31', 1);
--> statement-breakpoint
INSERT INTO act_kinds (code, title) VALUES
('delibera_giunta', 'Delibera di Giunta'),
('delibera_consiglio', 'Delibera di Consiglio'),
('determina', 'Determina dirigenziale'),
('verbale', 'Verbale');
--> statement-breakpoint
INSERT INTO counters (name, value) VALUES ('change_seq', 0);
