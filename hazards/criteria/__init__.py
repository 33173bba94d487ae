"""The clauses of 《煤矿重大事故隐患判定标准》 as the matcher reads them (pure Python, no database)."""
