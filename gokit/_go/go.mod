module gokitfrontend

go 1.22
